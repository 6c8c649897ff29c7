/* child/child.h: programs run without a shell on the daemon's event loop — stdin from a buffer, stdout collected, bounded in time and output. */
#ifndef WW_CHILD_H
#define WW_CHILD_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct child;

/* What to run. argv[0] is an absolute path; nothing is searched or
 * interpreted by a shell. The strings are copied by child_start. */
struct child_request {
	const char * const	*argv;		/* NULL-terminated */
	const char		*input;		/* written to stdin, then EOF; may be NULL */
	size_t			 input_len;
	size_t			 max_output;	/* bytes of stdout kept; 0: stdout to /dev/null */
	int64_t			 timeout_ms;	/* then the child's process group is killed */
};

enum child_outcome {
	CHILD_EXITED,		/* see status */
	CHILD_SIGNALLED,	/* killed by a signal it did not get from us */
	CHILD_TIMED_OUT,	/* killed by us after timeout_ms */
	CHILD_TOO_MUCH_OUTPUT,	/* killed by us past max_output */
	CHILD_FAILED,		/* could not be started (error says why) */
};

/* How a child ended. Pointers are valid only during the callback. */
struct child_result {
	enum child_outcome	 outcome;
	int			 status;	/* exit status, or the signal */
	const char		*output;	/* stdout, NUL terminated ("" when none) */
	size_t			 output_len;
	const char		*error;		/* the first line of its stderr (at most
						 * 200 bytes), or why it failed; "" */
	int64_t			 elapsed_ms;
};

typedef void (*child_cb)(const struct child_result *, void *arg);

/* Starts a child. cb is called exactly once, from the event loop and never
 * from within child_start, unless child_cancel is called first. The child
 * gets default signal dispositions, an empty mask, its own process group,
 * stdin/stdout/stderr on non-blocking pipes (or /dev/null) and no other
 * descriptor. Returns NULL only when the loop's events cannot be made. */
struct child	*child_start(struct event_base *, const struct child_request *,
		    child_cb cb, void *arg);
/* Kills the child's process group, reaps it, and frees; cb is not called. */
void		 child_cancel(struct child *);

#endif
