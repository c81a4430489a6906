/*
 * log.h - the only writer of stderr: "auditship: LEVEL: [dest NAME:] msg".
 *
 * Messages are single lines; embedded newlines and control characters are
 * made visible.  Callers must never pass secrets here.
 */
#ifndef AUDITSHIP_LOG_H
#define AUDITSHIP_LOG_H

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/* Messages above this level are discarded (default LOG_LVL_INFO). */
void	log_set_level(enum log_level level);
enum log_level log_get_level(void);

void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_warn plus ": strerror(errno)" (errno saved first). */
void	log_warn_sys(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same, with the "dest NAME: " prefix. */
void	log_dest(enum log_level level, const char *dest, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* A terminal progress line: "\r" + message, erasing the rest of the line;
 * each call replaces the last.  A diagnostic in between first clears it.
 * log_progress_end() ends the line (a newline) if one is shown. */
void	log_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_progress_end(void);
/* The usage text, verbatim (several lines), for a command line that names
 * no command. */
void	log_usage(const char *text);

/* Register a secret that must never be printed: any later message
 * containing it has it replaced by "****".  The string is copied into a
 * buffer wiped at exit.  Strings shorter than 4 bytes are ignored. */
void	log_add_secret(const char *secret);
/* Replace every registered secret in s by "****", in place: for text
 * kept beyond a log line (a destination's last error in the state, shown
 * by `status`), masked before it is stored. */
void	log_mask(char *s);
/* Wipe and forget all registered secrets. */
void	log_clear_secrets(void);

#endif
