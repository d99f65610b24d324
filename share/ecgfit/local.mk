## share: the field registry and codings, installed under $(pkgdatadir)
dist_pkgdata_DATA += share/ecgfit/fields.tsv share/ecgfit/codings.tsv share/ecgfit/groups.tsv
