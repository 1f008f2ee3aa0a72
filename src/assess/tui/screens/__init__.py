"""The app's screens. Each is imported only when first shown, to keep start-up quick."""
