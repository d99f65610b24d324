## synthetic ECG files: xmllint, the project's reader, and the model's physiology
TESTS += tests/cli/synth_xml.sh
EXTRA_DIST += tests/cli/synth_xml.sh
