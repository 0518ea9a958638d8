/* err.c - descriptions for enum bot_err. */
#include "base/err.h"

const char *bot_strerror(int err)
{
	switch ((enum bot_err)err) {
	case BOT_OK:
		return "success";
	case BOT_ENOMEM:
		return "out of memory";
	case BOT_EINVAL:
		return "invalid argument or malformed input";
	case BOT_EIO:
		return "input/output error";
	case BOT_ENOENT:
		return "not found";
	case BOT_ETOOBIG:
		return "input too large";
	case BOT_ECORRUPT:
		return "data is corrupt or not ours";
	case BOT_ESTORE:
		return "database error";
	case BOT_ECONFIG:
		return "configuration error";
	case BOT_ENET:
		return "network error";
	case BOT_EAMBIG:
		return "ambiguous";
	case BOT_EPERM:
		return "permission denied";
	case BOT_EVERSION:
		return "written by a newer version";
	case BOT_EEXIST:
		return "already done";
	}
	return "unknown error";
}
