## model: linear
