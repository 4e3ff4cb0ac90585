"""The trained line labeller: features, model, decoder and comment records."""
