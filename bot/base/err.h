/*
 * err.h - the one error enum of the project.
 *
 * Every fallible function returns enum bot_err: BOT_OK (0) on success, a
 * negative value otherwise. Results travel through out-parameters.
 */
#ifndef BOT_ERR_H
#define BOT_ERR_H

enum bot_err {
	BOT_OK = 0,
	BOT_ENOMEM = -1,    /* allocation failed (xmalloc aborts instead) */
	BOT_EINVAL = -2,    /* bad argument or malformed input */
	BOT_EIO = -3,       /* read/write failure */
	BOT_ENOENT = -4,    /* no such file, row or item */
	BOT_ETOOBIG = -5,   /* input over its size cap */
	BOT_ECORRUPT = -6,  /* stored data is damaged or foreign */
	BOT_ESTORE = -7,    /* database error */
	BOT_ECONFIG = -8,   /* configuration refused */
	BOT_ENET = -9,      /* network failure */
	BOT_EAMBIG = -10,   /* lookup matched more than one thing */
	BOT_EPERM = -11,    /* caller lacks permission */
	BOT_EVERSION = -12, /* data written by a newer version */
	BOT_EEXIST = -13    /* already done (a post already made) */
};

/* Returns a static, human-readable description of err. */
const char *bot_strerror(int err);

#endif
