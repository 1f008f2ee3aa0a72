"""Safe reading of the YAML and JSON files officers and tools hand us.

Question banks, answers files and bundles all arrive as YAML or JSON. They
are untrusted, so this module reads them with hard limits and keeps the
line of every value so that errors can say where the problem is:

- a size cap, checked before the text is parsed;
- no anchors or aliases (an alias bomb expands a few lines into gigabytes);
- no explicit tags (`!!python/object` and friends never construct anything);
- a nesting limit, so deep nesting cannot exhaust the stack;
- duplicate keys refused rather than silently overwritten;
- text that is not valid Unicode (a lone surrogate such as JSON's `"\\ud800"`)
  refused, since it could never be saved or printed;
- YAML 1.2 scalars: only `true`/`false` are booleans, dates stay text, so an
  option id such as `no` or `on` is never turned into a boolean.

Every message is a single line, because the command line prints it as one.

PyYAML is imported only when YAML is parsed: a JSON file (an answers file, a
bank) is read without it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.domain.errors import BadInput
from assess.domain.safejson import MAX_DEPTH, ParsedFile, Path_, parse_json_text
from assess.domain.safejson import not_unicode as _not_unicode
from assess.domain.visible import has_lone_surrogate

if TYPE_CHECKING:
    import yaml


def make_loader(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """A safe loader on `base` with YAML 1.2-style implicit typing (see module docstring)."""
    loader: Any = type("Loader", (base,), {"yaml_implicit_resolvers": {}})
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$"
        ),
        list("-+0123456789."),
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
    )
    return loader


def _loader() -> type[yaml.SafeLoader]:
    """The loader every YAML file is read with (made on first use, see `__getattr__`)."""
    found: type[yaml.SafeLoader] = globals().get("_Loader") or __getattr__("_Loader")
    return found


def __getattr__(name: str) -> Any:
    if name == "_Loader":
        import yaml

        # libyaml's parser is about fifteen times faster than the pure-Python one;
        # fall back to Python where PyYAML was built without it.
        loader = make_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        globals()["_Loader"] = loader
        return loader
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_parsed(path: Path, *, max_bytes: int, what: str) -> ParsedFile:
    """Read and parse `path` (YAML, or JSON when it ends in .json) within the limits."""
    try:
        with path.open("rb") as handle:
            # Refuse an oversized file by its size, before reading any of it.
            if os.fstat(handle.fileno()).st_size > max_bytes:
                raise BadInput(
                    f"{path}: the {what} is larger than {_size(max_bytes)}; refusing to read it"
                )
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise BadInput(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a {what}") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise BadInput(f"{path}: the {what} is larger than {_size(max_bytes)}; refusing to read it")
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse_text(data, str(path), fmt=fmt, what=what)


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def parse_text(data: bytes | str, source: str, *, fmt: str = "yaml", what: str) -> ParsedFile:
    """Parse text already in memory; `fmt` is "yaml" or "json"."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise BadInput(
                f"{source}, line {line}: the {what} is not UTF-8 text "
                f"(byte 0x{data[exc.start]:02x} cannot be read); save it as UTF-8"
            ) from None
    else:
        text = data
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise BadInput(
            f"{source}, line {line}: the {what} contains NUL bytes; it is not a text file"
        )
    if not text.strip():
        raise BadInput(f"{source}: the {what} is empty")
    if fmt == "json":
        return _parse_json(text, source, what)
    return _parse_yaml(text, source, what)


def _parse_json(text: str, source: str, what: str) -> ParsedFile:
    return ParsedFile(value=parse_json_text(text, source, what), source=source)


def _parse_yaml(text: str, source: str, what: str) -> ParsedFile:
    import yaml

    try:
        _check_events(text, source, what)
        loader = _loader()(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        problem = _one_line(exc.problem or exc.context or "unreadable")
        if "nesting depth" in problem:
            # libyaml's scanner reads deep flow brackets ahead of the events
            # `_check_events` counts, so it can meet its own limit first.
            raise BadInput(
                f"{source}{line}: the {what} is nested more than {MAX_DEPTH} levels deep"
            ) from None
        raise BadInput(
            f"{source}{line}: the {what} is not valid YAML ({problem}); check the "
            "indentation, quotes and brackets on this line and the one before"
        ) from None
    except yaml.reader.ReaderError as exc:
        # Raised for control characters. Its own text spans two lines, and libyaml gives a
        # byte offset where Python gives a character offset, so find the character instead.
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line_number = text.count("\n", 0, at) + 1 if at >= 0 else 1
        raise BadInput(
            f"{source}, line {line_number}: the {what} contains the control character "
            f"U+{exc.character:04X}, which is not allowed in YAML"
        ) from None
    except yaml.YAMLError as exc:
        raise BadInput(f"{source}: the {what} is not valid YAML: {_one_line(str(exc))}") from None
    except UnicodeEncodeError:  # a lone surrogate in text handed over as a str
        raise BadInput(
            f"{source}: the {what} contains characters that are not valid Unicode"
        ) from None
    if node is None:
        raise BadInput(f"{source}: the {what} is empty")
    doc = ParsedFile(value=None, source=source)
    doc.value = _construct(node, (), doc, what)
    return doc


def _check_events(text: str, source: str, what: str) -> None:
    import yaml

    depth = 0
    documents = 0
    for event in yaml.parse(text, Loader=_loader()):
        # Every event the parser yields carries its place in the text.
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise BadInput(
                f"{source}, line {line}: the {what} uses a YAML anchor or alias (& or *); "
                "these are not allowed"
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise BadInput(
                f"{source}, line {line}: the {what} uses the YAML tag {shown!r}; "
                "tags are not allowed"
            )
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise BadInput(
                    f"{source}, line {line}: the {what} holds more than one YAML document"
                )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise BadInput(
                    f"{source}, line {line}: the {what} is nested more than {MAX_DEPTH} levels deep"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _construct(node: yaml.Node, path: Path_, doc: ParsedFile, what: str) -> Any:
    import yaml

    doc.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise BadInput(
                    f"{doc.source}, line {key_node.start_mark.line + 1}: "
                    f"a key in the {what} is not plain text"
                )
            key = key_node.value
            if has_lone_surrogate(key):
                raise _not_unicode(doc.source, what, key_node.start_mark.line + 1)
            if key in result:
                raise BadInput(
                    f"{doc.source}, line {key_node.start_mark.line + 1}: "
                    f"the field {key!r} appears twice {_mapping_name(node, path)}"
                )
            result[key] = _construct(value_node, (*path, key), doc, what)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), doc, what) for i, item in enumerate(node.value)]
    if not isinstance(node, yaml.ScalarNode):
        raise BadInput(
            f"{doc.source}, line {doc.lines[path]}: the {what} has a value of no known kind"
        )
    if has_lone_surrogate(node.value):
        raise _not_unicode(doc.source, what, doc.lines[path])
    return _scalar(node)


def _mapping_name(node: yaml.MappingNode, path: Path_) -> str:
    """`in item 'X'` (by its id field), `under 'key'` or `at the top level`, for messages."""
    import yaml

    for key_node, value_node in node.value:
        if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
            return f"in the item with id {value_node.value!r}"
    keys = [step for step in path if isinstance(step, str)]
    return f"under {keys[-1]!r}" if keys else "at the top level"


def _scalar(node: yaml.ScalarNode) -> Any:
    value: str = node.value
    if node.style:  # quoted or block text is always text
        return value
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(value)
        except ValueError:  # more digits than Python will convert
            return value
    if tag == "tag:yaml.org,2002:float":
        return float(value)
    return value
