## nn: writer
