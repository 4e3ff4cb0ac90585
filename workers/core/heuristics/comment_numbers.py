"""A comment's number as the record builder reads it before a name, beyond
``header_lines.COMMENT_NUMBER``: named data, applied by ``stages/authors.py``,
``stages/author_lines.py`` and ``labeller/comment_shape.py``."""
from __future__ import annotations

# "#2) Name", "#3. Name": a "#" number closed by the mark an ordered list prints. Without it the
# "#2" of COMMENT_NUMBER is taken off and ") Name" / ". Name" is read as the name
HASH_NUMBER_CLOSED = r"#\s?\d{1,5}[.)]"
