"""Shared code of the course *Neural networks from the neuron up*.

One module per concept, imported by the book's chapters, the exercises and
the tests, never copy-pasted between them:

- ``nncourse.plotting``  figure style and the plots chapters share
- ``nncourse.data``      small data sets, generated or loaded offline
- ``nncourse.gradcheck`` numerical gradients and relative errors
- ``nncourse.grading``   the isolated autograder (see its docstring)
"""

__version__ = "0.1.0"
