"""The theme's templates, compiled once for all of serve's rebuilds.

MkDocs makes the theme a new Jinja environment at every build, which compiles again every
template it renders (Material's base, its partials, the 404 page): a third of a rebuild after a
one-file edit. ``CompiledTemplates`` is a Jinja bytecode cache that the plugin keeps for the
whole of a serve: a template is compiled again only if its source changed (Jinja compares the
source's checksum with the one the code was compiled from) or the options of the environment
that compilation reads did.
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

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
        self.options = ""

    def attach(self, env: Environment) -> bool:
        """Let the environment compile through this cache; False if its options are not ones
        this can tell apart, or it has a cache of its own."""
        options = _options(env)
        if options is None or env.bytecode_cache is not None:
            return False
        self.options = options
        env.bytecode_cache = self
        return True

    def load_bytecode(self, bucket: Bucket) -> None:
        """The template's code, if it was compiled before (the bucket checks the checksum)."""
        code = self.code.get((self.options, bucket.key))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code the template was compiled to."""
        self.code[self.options, bucket.key] = bucket.bytecode_to_string()
