"""What a build reuses from the previous one. Skip this package to understand a build.

Every rule here gives the output a build without it would give, byte for byte; it
only avoids work. Each rule says in one place what it keys on:

build.py       the whole build (code, theme, content bytes, options, output folder):
               a no-op build writes nothing
validation.py  each content file's validation result (its bytes, the settings, the date)
state.py       the render state, loaded once before rendering and saved once after the
               output is swapped in: pages (see pages.py), their link lists, entry
               cards, data-file layouts, feeds
pages.py       what each page shows: its fingerprint, and which pages an edit touches
store.py       the signed pickles in ``<project>/.catalog-cache/`` under those keys, and
               the digests (content hashes, the generator's fingerprint) keys are made of

Two more live with the code they serve: compiled templates (render/templates.py's
``SignedBytecodeCache``, keyed by the template's source) and the writer's spare
folder (output/writer.py: unchanged files are linked, recognised by inode).
"""
