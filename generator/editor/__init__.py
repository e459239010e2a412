"""The editors' tools that are not the build: what people who edit content/ run besides check and build.

scaffold.py    `catalog new`: a new entry from its schema, with the house's placeholders
guide.py       `catalog guide`: the editor's guide (docs/editing.md) generated from the schemas and checks
guide_text.py  the guide's prose
guide_codes.py the guide's table of problem codes: what each means, what to change
review.py      `catalog review`: the entries due for review, oldest first

The preview server (`catalog serve`, generator/serve/) and the browser editor at /admin/
(generator/cms/) are editors' tools too, each a package of its own.
"""
