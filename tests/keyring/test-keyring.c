/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keyring"

#include <string.h>

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "crm-keyring.h"

#define LABEL "Rapport workspace “Test”"

/* The same schema as crm-keyring.c, so that tests can look behind the module's
 * back: count the entries it made and plant malformed secrets. */
static const SecretSchema workspace_schema = {
  .name = "io.github.rapport_crm.Rapport.Workspace",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
  },
};

static gboolean
have_session_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

  if (address != NULL && *address != '\0')
    return TRUE;

  g_test_skip ("No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)");
  return FALSE;
}

static void
random_key (guint8 *key)
{
  for (gsize i = 0; i < CRM_KEYRING_KEY_LENGTH; i++)
    key[i] = (guint8) g_test_rand_int_range (0, 256);
}

static void
assert_key (GBytes       *bytes,
            const guint8 *expected)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, CRM_KEYRING_KEY_LENGTH);
}

static void
assert_absent (const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;

  key = crm_keyring_lookup_sync (uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

static void
clear_entry (const char *uuid)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_keyring_clear_sync (uuid, NULL, &error));
  g_assert_no_error (error);
  assert_absent (uuid);
}

/* Asks the Secret Service itself: secret_password_search_sync() leaves a few
 * bytes behind for every item it wraps (libsecret 0.20.5 with GLib 2.74),
 * which would fail the sanitizer build. Every entry found must carry the
 * label it was stored with. */
static guint
count_entries (const char *uuid)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;
  GVariantBuilder attributes;
  guint n = 0;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  /* libsecret adds the schema name as the "xdg:schema" attribute. */
  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", workspace_schema.name);
  g_variant_builder_add (&attributes, "{ss}", "uuid", uuid);

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", &attributes),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);
  g_assert_cmpuint (g_strv_length ((char **) locked), ==, 0);

  for (; unlocked[n] != NULL; n++)
    {
      g_autoptr(GVariant) label_reply = NULL;
      g_autoptr(GVariant) label = NULL;

      label_reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", unlocked[n],
                                                 "org.freedesktop.DBus.Properties", "Get",
                                                 g_variant_new ("(ss)",
                                                                "org.freedesktop.Secret.Item",
                                                                "Label"),
                                                 G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                                 -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (label_reply, "(v)", &label);
      g_assert_cmpstr (g_variant_get_string (label, NULL), ==, LABEL);
    }

  return n;
}

static void
got_result_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (source_object);
  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (result);
}

static void
test_store_lookup (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  guint8 key[CRM_KEYRING_KEY_LENGTH];
  guint8 other[CRM_KEYRING_KEY_LENGTH];

  if (!have_session_bus ())
    return;

  random_key (key);
  g_assert_true (crm_keyring_store_sync (uuid, LABEL, key, NULL, &error));
  g_assert_no_error (error);

  first = crm_keyring_lookup_sync (uuid, NULL, &error);
  g_assert_no_error (error);
  assert_key (first, key);
  g_assert_cmpuint (count_entries (uuid), ==, 1);

  /* Storing again replaces the entry rather than adding a second one that a
   * lookup might pick instead. */
  do
    random_key (other);
  while (memcmp (key, other, sizeof key) == 0);

  g_assert_true (crm_keyring_store_sync (uuid, LABEL, other, NULL, &error));
  g_assert_no_error (error);

  second = crm_keyring_lookup_sync (uuid, NULL, &error);
  g_assert_no_error (error);
  assert_key (second, other);
  g_assert_cmpuint (count_entries (uuid), ==, 1);

  /* The first GBytes is independent of the entry it came from. */
  assert_key (first, key);

  clear_entry (uuid);
  g_assert_cmpuint (count_entries (uuid), ==, 0);
}

static void
test_absent (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  if (!have_session_bus ())
    return;

  assert_absent (uuid);
  g_assert_cmpuint (count_entries (uuid), ==, 0);
}

static void
test_clear (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) found = NULL;
  guint8 key[CRM_KEYRING_KEY_LENGTH];

  if (!have_session_bus ())
    return;

  random_key (key);
  g_assert_true (crm_keyring_store_sync (uuid, LABEL, key, NULL, &error));
  g_assert_no_error (error);

  found = crm_keyring_lookup_sync (uuid, NULL, &error);
  g_assert_no_error (error);
  assert_key (found, key);

  clear_entry (uuid);
  g_assert_cmpuint (count_entries (uuid), ==, 0);

  /* Clearing what is not there is not an error. */
  g_assert_true (crm_keyring_clear_sync (uuid, NULL, &error));
  g_assert_no_error (error);
  assert_absent (uuid);
}

static void
test_two_workspaces (void)
{
  g_autofree char *uuid_a = g_uuid_string_random ();
  g_autofree char *uuid_b = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) found_a = NULL;
  g_autoptr(GBytes) found_b = NULL;
  g_autoptr(GBytes) again_b = NULL;
  guint8 key_a[CRM_KEYRING_KEY_LENGTH];
  guint8 key_b[CRM_KEYRING_KEY_LENGTH];

  if (!have_session_bus ())
    return;

  random_key (key_a);
  do
    random_key (key_b);
  while (memcmp (key_a, key_b, sizeof key_a) == 0);

  g_assert_true (crm_keyring_store_sync (uuid_a, LABEL, key_a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (crm_keyring_store_sync (uuid_b, LABEL, key_b, NULL, &error));
  g_assert_no_error (error);

  found_a = crm_keyring_lookup_sync (uuid_a, NULL, &error);
  g_assert_no_error (error);
  assert_key (found_a, key_a);

  found_b = crm_keyring_lookup_sync (uuid_b, NULL, &error);
  g_assert_no_error (error);
  assert_key (found_b, key_b);

  /* Removing one workspace's key leaves the other's alone. */
  clear_entry (uuid_a);

  again_b = crm_keyring_lookup_sync (uuid_b, NULL, &error);
  g_assert_no_error (error);
  assert_key (again_b, key_b);

  clear_entry (uuid_b);
}

static void
test_malformed (void)
{
  static const char * const bad_secrets[] = {
    "",
    "0123",
    /* 63, 65 and 128 hex digits. */
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1",
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0",
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    /* 64 characters that are not all hex digits. */
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
    "00010203 405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    /* 64 bytes of UTF-8 that are 32 characters. */
    "éééééééééééééééééééééééééééééééé",
  };
  static const guint8 expected[CRM_KEYRING_KEY_LENGTH] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
  };
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) upper = NULL;

  if (!have_session_bus ())
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (bad_secrets); i++)
    {
      g_autoptr(GBytes) key = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      GAsyncResult *pending = NULL;

      g_test_message ("Bad secret %" G_GSIZE_FORMAT, i);
      g_assert_true (secret_password_store_sync (&workspace_schema, SECRET_COLLECTION_DEFAULT,
                                                 LABEL, bad_secrets[i], NULL, &error,
                                                 "uuid", uuid,
                                                 NULL));
      g_assert_no_error (error);

      key = crm_keyring_lookup_sync (uuid, NULL, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_null (key);
      g_assert_nonnull (strstr (error->message, uuid));
      g_assert_nonnull (strstr (error->message, "malformed"));
      /* The message may name the entry but must not repeat what it holds. */
      if (strlen (bad_secrets[i]) > 8)
        g_assert_null (strstr (error->message, bad_secrets[i]));
      g_clear_error (&error);

      crm_keyring_lookup (uuid, NULL, got_result_cb, &pending);
      result = wait_for (&pending);
      key = crm_keyring_lookup_finish (result, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_null (key);
      g_clear_error (&error);
    }

  /* Upper-case digits are not what crm_keyring_store() writes, but they are
   * hex all the same and name the same key. */
  g_assert_true (secret_password_store_sync (&workspace_schema, SECRET_COLLECTION_DEFAULT,
                                             LABEL,
                                             "000102030405060708090A0B0C0D0E0F"
                                             "101112131415161718191A1B1C1D1E1F",
                                             NULL, &error,
                                             "uuid", uuid,
                                             NULL));
  g_assert_no_error (error);
  upper = crm_keyring_lookup_sync (uuid, NULL, &error);
  g_assert_no_error (error);
  assert_key (upper, expected);

  clear_entry (uuid);
}

static void
test_async (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *absent_uuid = g_uuid_string_random ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) found = NULL;
  g_autoptr(GBytes) absent = NULL;
  g_autoptr(GBytes) cleared = NULL;
  g_autoptr(GBytes) cancelled = NULL;
  GAsyncResult *pending = NULL;
  guint8 key[CRM_KEYRING_KEY_LENGTH];
  guint8 copy[CRM_KEYRING_KEY_LENGTH];

  if (!have_session_bus ())
    return;

  /* crm_keyring_store() must have taken what it needs before it returns: the
   * caller wipes its key buffer straight away. */
  random_key (key);
  memcpy (copy, key, sizeof key);
  crm_keyring_store (uuid, LABEL, copy, NULL, got_result_cb, &pending);
  memset (copy, 0, sizeof copy);
  result = wait_for (&pending);
  g_assert_true (crm_keyring_store_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  crm_keyring_lookup (uuid, NULL, got_result_cb, &pending);
  result = wait_for (&pending);
  found = crm_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  assert_key (found, key);
  g_clear_object (&result);

  crm_keyring_lookup (absent_uuid, NULL, got_result_cb, &pending);
  result = wait_for (&pending);
  absent = crm_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_null (absent);
  g_clear_object (&result);

  g_cancellable_cancel (cancellable);
  crm_keyring_lookup (uuid, cancellable, got_result_cb, &pending);
  result = wait_for (&pending);
  cancelled = crm_keyring_lookup_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled);
  g_clear_error (&error);
  g_clear_object (&result);

  crm_keyring_clear (uuid, NULL, got_result_cb, &pending);
  result = wait_for (&pending);
  g_assert_true (crm_keyring_clear_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  crm_keyring_lookup (uuid, NULL, got_result_cb, &pending);
  result = wait_for (&pending);
  cleared = crm_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_null (cleared);
  g_clear_object (&result);

  /* Clearing an absent entry succeeds asynchronously too. */
  crm_keyring_clear (uuid, NULL, got_result_cb, &pending);
  result = wait_for (&pending);
  g_assert_true (crm_keyring_clear_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_cmpuint (count_entries (uuid), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/store-lookup", test_store_lookup);
  g_test_add_func ("/keyring/absent", test_absent);
  g_test_add_func ("/keyring/clear", test_clear);
  g_test_add_func ("/keyring/two-workspaces", test_two_workspaces);
  g_test_add_func ("/keyring/malformed", test_malformed);
  g_test_add_func ("/keyring/async", test_async);

  return g_test_run ();
}
