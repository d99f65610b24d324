## model: xgbmlp
