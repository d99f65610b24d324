## doc: reference pages installed to $(docdir)
dist_doc_DATA = doc/synthetic-data.md
