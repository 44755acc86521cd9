"""Errors the library raises. Every message says what to do next."""


class AssistantError(Exception):
    """Base class of every error this library raises on purpose."""


class UserInputError(AssistantError, ValueError):
    """The caller's input is wrong: a bad question, a bad setting."""


class ConfigError(UserInputError):
    """A setting is invalid or names something that cannot be found."""


class AssistantRuntimeError(AssistantError, RuntimeError):
    """Something failed while running: a store, a model, a server."""


class IndexMismatchError(AssistantRuntimeError):
    """The index was built with another embedding model or chunk settings."""


class EmbeddingModelError(AssistantRuntimeError):
    """The embedding model cannot be loaded."""


class LLMUnavailableError(AssistantRuntimeError):
    """The chat model server is down, timed out or answered badly."""
