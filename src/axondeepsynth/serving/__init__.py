"""The project's end product as MLflow models: segment a new image, get its label map and morphometrics."""
