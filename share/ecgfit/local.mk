## share: the field registry and codings, installed under $(pkgdatadir)
dist_pkgdata_DATA += share/ecgfit/fields.tsv share/ecgfit/codings.tsv share/ecgfit/groups.tsv \
	share/ecgfit/khurshid-deep-ecg-vo2-coefficients.csv
