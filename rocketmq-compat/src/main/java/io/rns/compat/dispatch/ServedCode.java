package io.rns.compat.dispatch;

import io.rns.compat.handler.CodeHandler;
import io.rns.namesrv.auth.Permission;

/** One served request code: its kind, the permission a caller needs for it (auth.enabled) and its handler. */
record ServedCode(RequestKind kind, Permission permission, CodeHandler handler) {
}
