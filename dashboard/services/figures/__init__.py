"""Pure figure builders: ``build_<name>_figure(frame) -> Figure`` (a dict), one module per topic.

Each takes a frame from a read model and returns a Plotly figure with a title, units on its
axes, exact values on hover and the shared colours of ``services.palette``. No database here.
"""
