## nn: run
