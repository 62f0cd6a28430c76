"""WTForms per feature; labels are lazily translated so they follow the reader's language."""
