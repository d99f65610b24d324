## pipeline
