"""The theme's templates, compiled once for all of serve's rebuilds.

MkDocs makes the theme a new Jinja environment at every build (and Material's search plugin one
more for its language strings), which compiles again every template it renders (Material's
base, its partials, the 404 page) and lists again every file of the theme (some 14,000 of
Material's, for the few it copies, each matched against a dozen patterns): a third of a rebuild
after a one-file edit.

``CompiledTemplates`` is a Jinja bytecode cache that the plugin keeps for the whole of a serve:
a template is compiled again only if its source changed (Jinja compares the source's checksum
with the one the code was compiled from) or the options of the environment that compilation
reads did. ``CompiledTemplates.theme`` has every environment the theme makes use it, and list
the folders of installed packages once: what pip installed does not change while serve runs,
while a theme's folder in the project (a ``custom_dir``) is listed again at every build.

Where no plugin of the site changes the theme's environment (``reuse``), the theme gives every
build the one environment for its folders and locale while nothing in its folders in the project
changes, which keeps its templates loaded: loading them again from their code took a rebuild 6
to 9 ms at every save.
"""

from __future__ import annotations

import functools
import sysconfig
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.theme import Theme

from .dirty import folder_stamps

__all__ = ["CompiledTemplates"]


def _options(env: Environment) -> str | None:
    """What compiling a template reads of its environment, as a key; None if this cannot tell
    (an autoescape or a finalize that is a function)."""
    if not isinstance(env.autoescape, bool) or env.finalize is not None:
        return None
    return repr((type(env), env.block_start_string, env.block_end_string, env.variable_start_string,
                 env.variable_end_string, env.comment_start_string, env.comment_end_string,
                 env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                 env.newline_sequence, env.keep_trailing_newline, sorted(env.extensions), env.optimized,
                 env.is_async, env.autoescape, env.code_generator_class, getattr(env, "newstyle_gettext", None)))


class CompiledTemplates(BytecodeCache):
    """Templates' compiled code, by their environment's options, name and file."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], bytes] = {}
        self.listed: dict[str, list[str]] = {}  # an installed theme folder's files, by the folder
        self.kept: tuple[object, Environment] | None = None  # the environment reused, and what it is of

    def theme(self, theme: Theme, reuse: bool = False) -> None:
        """Every environment the theme makes from now on compiles through this cache, and lists
        the files of installed themes once; with ``reuse``, it is one environment, kept for the
        builds after this one while the theme's folders and locale, and the files of its folders
        that are not installed (a ``custom_dir``), are the same."""
        make = theme.get_env

        def get_env() -> Environment:
            # read now: a plugin's on_config may add a folder
            of = (tuple(theme.dirs), str(theme.locale), [folder_stamps(d) for d in theme.dirs if not _installed(d)])
            if reuse and self.kept is not None and self.kept[0] == of:
                return self.kept[1]
            env = make()
            if self.attach(env) and type(env.loader) is FileSystemLoader:
                env.loader = _Listed(env.loader, self.listed)
            if reuse:
                self.kept = (of, env)
            return env

        theme.get_env = get_env  # type: ignore[method-assign]

    def attach(self, env: Environment) -> bool:
        """Let the environment compile through this cache; False if its options are not ones
        this can tell apart, or it has a cache of its own."""
        if _options(env) is None or env.bytecode_cache is not None:
            return False
        env.bytecode_cache = self
        return True

    def load_bytecode(self, bucket: Bucket) -> None:
        """The template's code, if it was compiled before with the same options (the bucket
        checks the source's checksum)."""
        options = _options(bucket.environment)
        code = self.code.get((options, bucket.key)) if options is not None else None
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code the template was compiled to."""
        options = _options(bucket.environment)  # read now: a plugin may have changed them since
        if options is not None:
            self.code[options, bucket.key] = bucket.bytecode_to_string()


_INSTALLED = tuple({Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")})


@functools.lru_cache(maxsize=64)
def _installed(folder: str) -> bool:
    """Whether a theme's folder is in an installed package (which does not change while serve runs)."""
    return any(Path(folder).resolve().is_relative_to(root) for root in _INSTALLED)


class _Listed(FileSystemLoader):
    """A theme's loader that lists each folder of an installed package once, without the files
    MkDocs leaves out for their dots."""

    def __init__(self, loader: FileSystemLoader, listed: dict[str, list[str]]) -> None:
        super().__init__(loader.searchpath, loader.encoding, loader.followlinks)
        self.listed = listed

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            names = self.listed.get(folder)
            if names is None:
                names = FileSystemLoader(folder, self.encoding, self.followlinks).list_templates()
                if _installed(folder):
                    # MkDocs never copies a file in a folder, or of a name, that starts with a dot
                    # (its patterns ".*" and "*/.*"), and reads the listing for nothing else:
                    # Material's 14,000 icons (.icons/) are left out once, not at every rebuild.
                    names = self.listed[folder] = [n for n in names if not n.startswith(".") and "/." not in n]
            found.update(names)
        return sorted(found)
