## nn: loader
