"""An SVG logo made inert: only what draws is kept, by allow-lists of elements, attributes and
CSS properties, so nothing in the file can run, fetch or read anything in any viewer.

A block-list misses what it does not name; here an element, attribute or property is kept
only if it is listed. Values are read as CSS reads them (tinycss2 undoes escapes, so
`u\\72l(` is `url(`), and a value holding any function but colours and transforms, an
`@import`, or a `url(` to anything but a gradient or clip path of the same file is dropped.
Styles are written back from what was read, never copied, so an escape that meant nothing
to the check cannot mean something to a viewer.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import tinycss2

SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "symbol"
    }
)
"""What draws: shapes, text, groups, and the gradients, clip paths and masks they refer to."""
PRESENTATION = frozenset(
    {
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "color", "display",
        "visibility", "stop-color", "stop-opacity", "clip-path", "clip-rule", "mask", "font-family", "font-size",
        "font-weight", "font-style", "font-variant", "text-anchor", "dominant-baseline", "alignment-baseline",
        "baseline-shift", "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction",
        "unicode-bidi", "transform", "vector-effect", "shape-rendering", "text-rendering", "paint-order",
        "mix-blend-mode", "isolation"
    }
)
"""Properties kept in a `style` attribute, and as attributes of their own."""
ATTRIBUTES = PRESENTATION | {
    "id", "class", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width",
    "height", "viewBox", "points", "preserveAspectRatio", "version", "offset", "gradientUnits", "gradientTransform",
    "spreadMethod", "clipPathUnits", "maskUnits", "maskContentUnits", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "role", "aria-label", "aria-hidden", "lang", "style", "href"
}

_FUNCTIONS = frozenset(["rgb", "rgba", "hsl", "hsla", "matrix", "translate", "scale", "rotate", "skewx", "skewy"])
"""Functions a kept value may hold: colours and transforms, which fetch nothing."""
_LOCAL = re.compile(r"#[A-Za-z_][\w.-]*")
"""A reference to an element of the same file: `#gradient1`."""


def clean(root: ElementTree.Element) -> None:
    """Remove from the tree under `root` (an <svg>) every element, attribute and property not allowed."""
    for child in list(root):
        if child.tag.startswith(f"{{{SVG_NS}}}") and child.tag.rpartition("}")[2] in ELEMENTS:
            clean(child)
        else:
            root.remove(child)
    for name, value in list(root.attrib.items()):
        kept = _kept_attribute(name, value)
        if kept is None:
            del root.attrib[name]
        else:
            root.attrib[name] = kept


def _kept_attribute(name: str, value: str) -> str | None:
    """The attribute's value as kept, or None to drop it."""
    if name in ("href", _XLINK_HREF):
        return value if _LOCAL.fullmatch(value) else None
    if name in (f"{{{_XML_NS}}}space", f"{{{_XML_NS}}}lang"):
        return value if re.fullmatch(r"[\w-]*", value) else None
    if name not in ATTRIBUTES:
        return None
    if name == "style":
        return style(value)
    if name in PRESENTATION:  # read as CSS by viewers, escapes and all
        return value if is_inert(tinycss2.parse_component_value_list(value)) else None
    return value


def style(value: str) -> str | None:
    """A `style` attribute with only allowed properties whose values fetch nothing, written
    back from what CSS reads; None when nothing is left."""
    kept = []
    for item in tinycss2.parse_blocks_contents(value):
        if item.type == "declaration" and item.lower_name in PRESENTATION and is_inert(item.value):
            important = " !important" if item.important else ""
            kept.append(f"{item.lower_name}:{tinycss2.serialize(item.value).strip()}{important}")
    return ";".join(kept) or None


def is_inert(tokens: list) -> bool:
    """True if the CSS `tokens` hold no at-rule, no url() but to the same file, and no function
    but colours and transforms (so no image-set(), no image(), no cross-fade(), no var())."""
    for token in tokens:
        if token.type in ("at-keyword", "error", "() block", "[] block", "{} block"):
            return False
        if token.type == "url" and not _LOCAL.fullmatch(token.value):
            return False
        if token.type == "function" and not _inert_function(token):
            return False
    return True


def _inert_function(token: tinycss2.ast.FunctionBlock) -> bool:
    if token.lower_name == "url":
        arguments = [item for item in token.arguments if item.type != "whitespace"]
        return len(arguments) == 1 and arguments[0].type == "string" and bool(_LOCAL.fullmatch(arguments[0].value))
    return token.lower_name in _FUNCTIONS and is_inert(token.arguments)
