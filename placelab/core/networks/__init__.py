"""Network analysis: graphs from nominations, measures, roles and the shape of the system.

python-igraph does the work; the tests hold every measure against NetworkX or a hand-worked
example.
"""
