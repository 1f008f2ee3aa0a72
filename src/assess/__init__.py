"""assess: how ready is a local authority for a strategic service-delivery partnership?"""

__version__ = "0.1.0"
