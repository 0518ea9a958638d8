/*
 * config.h - the settings loader: defaults, the INI file (parsed with
 * inih), DRILLBOT_* environment overrides and token files. It knows no
 * product: each module (the process, Discord, Slack, ...) declares its
 * own keys, validators and tokens in a struct config_module, and the
 * loader fills that module's settings struct. The example file is
 * generated from the same tables (config_example()).
 *
 * Start-up runs, in this order:
 *
 *	config_init(&c, modules, n);
 *	config_load_file(&c, path, &err);	(optional)
 *	config_load_env(&c, NULL, &err);	(environment wins over the file)
 *	config_load_tokens(&c, &err);		(reads the *_token_file files)
 *
 * Every refusal leaves a one-line message in err that says where the
 * problem is, what is wrong and how to fix it, so main can print it as a
 * fatal start-up error. No message ever contains a token.
 *
 * Tokens are kept out of the config file on purpose: the file is the kind
 * of thing people paste into issues. They come from a file of their own
 * (Docker/systemd credentials) or from the environment, and are registered
 * with the logger's redactor the moment they are read.
 */
#ifndef BOT_CONFIG_H
#define BOT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/util.h"

/* The largest token file or token accepted: real tokens are ~100 bytes. */
#define CONFIG_TOKEN_MAX 4096
/* The largest configuration file accepted. */
#define CONFIG_FILE_MAX (64 * 1024)
/* The largest single value accepted from the environment. */
#define CONFIG_VALUE_MAX   4096
#define CONFIG_MAX_MODULES 8
#define CONFIG_MAX_KEYS    64
#define CONFIG_MAX_TOKENS  8

/* How a value is checked and where it is stored (off, into the module's struct). */
enum config_kind {
	CONFIG_LEVEL,      /* a log level name; enum log_level at off */
	CONFIG_PATH,       /* a non-empty string; char * at off */
	CONFIG_TOKEN_FILE, /* an optional path that must not look like a token; char * */
	CONFIG_HTTP_URL,   /* an http(s) base URL, trailing '/' dropped; char * */
	CONFIG_WS_URL_OPT, /* an optional ws(s) URL; char * (NULL when empty) */
	CONFIG_TZ,         /* an IANA zone name; char * */
	CONFIG_LISTEN,     /* host:port; char * host at off, int port at off2 */
	CONFIG_DIGITS_OPT, /* an optional number of digits (an ID); char * */
	CONFIG_U64,        /* an unsigned 64-bit integer; uint64_t at off */
	CONFIG_DECIMAL,    /* a decimal number from min to max; double at off */
	CONFIG_AUTO_COUNT, /* "auto" (0) or a whole number from 1 to max; uint64_t at off */
	CONFIG_DURATION, /* "6h", "90m", "45s" or "0", up to max seconds; int64_t seconds at off */
	CONFIG_WORDS_OPT /* optional free text (a prefix, a list of ids); char * (NULL when empty)
	                  */
};

struct config_key {
	const char *name;
	enum config_kind kind;
	size_t off, off2;
	double min, max;     /* CONFIG_DECIMAL: the range allowed */
	const char *def;     /* as written in the file; "" for none */
	const char *example; /* a valid value, quoted in "how to fix" hints */
	const char *help;    /* what it is, for the example file; '\n' breaks lines */
	const char *fix;     /* how to get a right value, for a bad ID; may be NULL */
	const char *heading; /* a heading printed above this key in the example, or NULL */
};

/* A secret read from a file named by file_key, or from the environment. */
struct config_token {
	const char *name; /* also the pseudo-key refused in the file */
	const char *file_key;
	const char *env;
	size_t tok_off; /* char * in the module's struct */
	/*
	 * The module's own checks of a trimmed token (prefixes, swapped
	 * tokens), after the loader's; may be NULL. where starts the message;
	 * the token itself must never be written to why.
	 */
	int (*check)(const char *tok, const char *where, struct buf *why);
};

struct config_module {
	const char *name;    /* "drillbot", "discord", "slack" */
	const char *heading; /* its heading in the example file, or NULL */
	size_t size;         /* of its settings struct */
	const struct config_key *keys;
	size_t nkeys;
	const struct config_token *tokens;
	size_t ntokens;
};

struct config_bound_key {
	const struct config_key *k;
	void *data;
};

struct config_bound_token {
	const struct config_token *t;
	const struct config_key *file; /* the key that names its file */
	void *data;
};

/* Every module's settings struct is owned here. */
struct config {
	const struct config_module *modules[CONFIG_MAX_MODULES];
	void *data[CONFIG_MAX_MODULES];
	size_t nmodules;
	struct config_bound_key keys[CONFIG_MAX_KEYS];
	size_t nkeys;
	struct config_bound_token tokens[CONFIG_MAX_TOKENS];
	size_t ntokens;
};

/*
 * Fills c with the modules' defaults (any previous contents are ignored,
 * not freed). The modules' tables must outlive c; a table that breaks the
 * limits above or a default that fails its own check aborts (a
 * programming error).
 */
void config_init(struct config *c, const struct config_module *const *modules, size_t n);

/* Frees everything c owns, wiping the tokens first, and zeroes c. Safe to call twice. */
void config_cleanup(struct config *c);

/* The settings struct of module m (cast it to the module's type), or NULL. */
void *config_data(const struct config *c, const struct config_module *m);

/*
 * Applies the settings in the INI file at path. Keys are flat; a
 * "[drillbot]" header is allowed and ignored, any other section is an
 * error. Key names are case-insensitive. Returns BOT_OK; BOT_ENOENT when
 * the file does not exist; BOT_EIO when it cannot be read; BOT_ECONFIG at
 * the first bad line. On failure err (may be NULL; reset first) holds
 * "path:line: what is wrong; how to fix", and c keeps the values set by
 * the lines before the bad one (still valid for config_cleanup).
 */
int config_load_file(struct config *c, const char *path, struct buf *err);

/*
 * Applies DRILLBOT_<KEY> variables (DRILLBOT_DATABASE, ...) from envp, a
 * NULL-terminated "NAME=value" array (NULL means environ). Values are
 * trimmed and validated as in the file; an error names the variable. A
 * token's variable (DRILLBOT_DISCORD_TOKEN, ...) sets the token directly
 * (an empty one counts as unset) and registers it with log_add_secret().
 * Other DRILLBOT_* variables belong to other tools and are ignored, with
 * a warning when the name is one typo away from a key. Returns BOT_OK or
 * BOT_ECONFIG.
 */
int config_load_env(struct config *c, char **envp, struct buf *err);

/*
 * Reads each token file whose token is not set yet (the environment wins),
 * strips surrounding whitespace and registers the token with
 * log_add_secret(). Refuses an empty file, one over CONFIG_TOKEN_MAX bytes,
 * a token shorter than 8 characters or with whitespace inside, and what the
 * module's check refuses; warns through the log when the file is readable
 * by group or others. Returns BOT_OK, BOT_ENOENT for a missing file, or
 * BOT_ECONFIG; err (may be NULL; reset first) then names the key and the
 * file, never the token.
 */
int config_load_tokens(struct config *c, struct buf *err);

/* The keys of every module, in order: count, name and default ("" for none). */
size_t config_key_count(const struct config *c);
const char *config_key_name(const struct config *c, size_t i);
const char *config_key_default(const struct config *c, size_t i);

/* Writes the example INI file (every key, commented out, with its default) to out. */
void config_example(const struct config *c, struct buf *out);

#endif
