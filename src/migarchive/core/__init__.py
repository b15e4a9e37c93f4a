"""The Qt-free core: reading, cleaning, metadata, sections, index and search, behind `archive`."""
