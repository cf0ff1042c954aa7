# Package marker: lets `python3 -m unittest discover -s gateway-image/tests -t gateway-image`
# import the tests as `tests.*` and resolve their relative imports.
