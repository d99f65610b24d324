## preprocess
