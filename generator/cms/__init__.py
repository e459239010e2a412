"""The browser editor (Decap CMS) at /admin/, generated from the content schemas.

decap.py    the pinned Decap CMS bundle (CDN address, Subresource Integrity) and the page's policy
fields.py   JSON Schemas → collections and fields of Decap's configuration (pure)
admin.py    /admin/index.html, config.yml and the page's own script and style, as output files (pure)
saved.py    what the editor sends on a save, read by YAML 1.2's rules as Decap writes it (pure)
merge.py    a saved entry written back into its file, keeping every line the editor did not change (pure)

The local editing API that `catalog serve` answers is in generator/serve/cms_api.py.
"""
