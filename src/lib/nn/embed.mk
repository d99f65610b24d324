## nn: embed
