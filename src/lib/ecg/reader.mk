## reader
