/* test-uri.c: the strict helpers for the addresses people type. */
#include "ap-uri.h"

typedef struct {
  const char *text;
  const char *host;
  guint port;
} HostPortCase;

static void
test_hostport_valid (void)
{
  static const HostPortCase cases[] = {
    { "example.com", "example.com", 0 },
    { "example.com:5080", "example.com", 5080 },
    { "sip-1.example_lab.com:1", "sip-1.example_lab.com", 1 },
    { "10.0.0.1", "10.0.0.1", 0 },
    { "10.0.0.1:65535", "10.0.0.1", 65535 },
    { "[::1]", "::1", 0 },
    { "[::1]:5060", "::1", 5060 },
    { "[2001:db8::10]:5061", "2001:db8::10", 5061 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *host = NULL;
      guint port = 12345;

      g_test_message ("valid: %s", cases[i].text);
      g_assert_true (ap_uri_parse_hostport (cases[i].text, &host, &port));
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpuint (port, ==, cases[i].port);
    }
}

static void
test_hostport_optional_outputs (void)
{
  g_assert_true (ap_uri_parse_hostport ("example.com:5060", NULL, NULL));
  g_assert_false (ap_uri_parse_hostport ("example.com:0", NULL, NULL));
}

static void
test_hostport_invalid (void)
{
  static const char *const cases[] = {
    "",         "host:",   "host:0", "host:70000",   "host:65536",   "host:12a",
    "host:-1",  "host:+5", "a b",    "[::1",         "[notip]:5",    "[10.0.0.1]",
    "[::1]x",   "[::1]:",  ":5060",  ".example.com", "-example.com", "host:5060:5061",
    "sip:host",
  };

  g_assert_false (ap_uri_parse_hostport (NULL, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *host = (char *) "untouched";
      guint port = 42;

      g_test_message ("invalid: “%s”", cases[i]);
      g_assert_false (ap_uri_parse_hostport (cases[i], &host, &port));
      /* A refusal leaves the outputs alone. */
      g_assert_cmpstr (host, ==, "untouched");
      g_assert_cmpuint (port, ==, 42);
    }
}

static void
test_is_sip (void)
{
  g_assert_true (ap_uri_is_sip ("sip:1001@example.com"));
  g_assert_true (ap_uri_is_sip ("sips:1001@example.com:5061"));
  g_assert_true (ap_uri_is_sip ("SIP:example.com"));
  g_assert_true (ap_uri_is_sip ("sip:10.0.0.1:5060;transport=tcp"));
  g_assert_true (ap_uri_is_sip ("sip:[::1]:5060;lr"));
  g_assert_false (ap_uri_is_sip (NULL));
  g_assert_false (ap_uri_is_sip (""));
  g_assert_false (ap_uri_is_sip ("tel:123"));
  g_assert_false (ap_uri_is_sip ("http://example.com"));
  g_assert_false (ap_uri_is_sip ("sip:"));
  g_assert_false (ap_uri_is_sip ("sip:1001@"));
  g_assert_false (ap_uri_is_sip ("sip:1001@bad host"));
  g_assert_false (ap_uri_is_sip ("sip:a b@example.com"));
  g_assert_false (ap_uri_is_sip ("sip:\"x\"@example.com"));
}

static void
test_is_account (void)
{
  g_assert_true (ap_uri_is_account ("sip:1001@example.com"));
  g_assert_true (ap_uri_is_account ("sips:alice@example.com:5061;transport=tls"));
  g_assert_false (ap_uri_is_account ("sip:example.com"));
  g_assert_false (ap_uri_is_account ("tel:123"));
  g_assert_false (ap_uri_is_account ("sip:@x"));
  g_assert_false (ap_uri_is_account ("1001@example.com"));
  g_assert_false (ap_uri_is_account (NULL));
}

static void
test_get_user (void)
{
  g_autofree char *user = ap_uri_get_user ("sip:1001@example.com;transport=udp");
  g_autofree char *none = ap_uri_get_user ("sip:example.com");
  g_autofree char *bad = ap_uri_get_user ("tel:123");

  g_assert_cmpstr (user, ==, "1001");
  g_assert_cmpstr (none, ==, "");
  g_assert_null (bad);
}

static void
test_get_host (void)
{
  static const char *const cases[][2] = {
    { "sip:1001@example.com", "example.com" },
    { "sip:1001@example.com:5080;transport=tcp", "example.com:5080" },
    { "sips:bob@10.0.0.1:5061?subject=hi", "10.0.0.1:5061" },
    { "sip:example.com;lr", "example.com" },
    { "sip:alice@[2001:db8::1]:5060;transport=udp", "[2001:db8::1]:5060" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *host = ap_uri_get_host (cases[i][0]);

      g_assert_cmpstr (host, ==, cases[i][1]);
    }
  g_assert_null (ap_uri_get_host ("tel:123"));
  g_assert_null (ap_uri_get_host ("sip:1001@"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uri/hostport/valid", test_hostport_valid);
  g_test_add_func ("/uri/hostport/optional-outputs", test_hostport_optional_outputs);
  g_test_add_func ("/uri/hostport/invalid", test_hostport_invalid);
  g_test_add_func ("/uri/is-sip", test_is_sip);
  g_test_add_func ("/uri/is-account", test_is_account);
  g_test_add_func ("/uri/get-user", test_get_user);
  g_test_add_func ("/uri/get-host", test_get_host);
  return g_test_run ();
}
