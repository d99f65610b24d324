## share
