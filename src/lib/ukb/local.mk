## ukb
