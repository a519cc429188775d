package io.rns.compat.dispatch;

import io.rns.compat.handler.CodeHandler;

/** One served request code: its kind and its handler. */
record ServedCode(RequestKind kind, CodeHandler handler) {
}
