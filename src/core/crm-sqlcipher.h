/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *crm_sqlcipher_version (GError **error);

G_END_DECLS
