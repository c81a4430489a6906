/*
 * s3_xml.h - the little XML S3 speaks to us, parsed and built purely.
 *
 * S3 answers errors, CreateMultipartUpload, CompleteMultipartUpload and
 * GetObjectLockConfiguration with small flat XML documents.  We only ever
 * need the text of a few named elements, so this is an element finder over
 * (buf, len), not an XML parser: it ignores namespaces and attributes and
 * decodes the five predefined entities and numeric character references.
 * It also builds the bodies we send (CompleteMultipartUpload, Retention,
 * LegalHold) and classifies S3 error codes for the destination.
 */
#ifndef AUDITSHIP_S3_XML_H
#define AUDITSHIP_S3_XML_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * Text of the first element named name (local name; "<x:Code>" matches
 * "Code") in p[0..n), entities decoded, appended to out.  Returns 1 found,
 * 0 absent, -1 when out is full or the element is not closed.
 */
int	s3_xml_text(const char *p, size_t n, const char *name, struct buf *out);

/* An S3 <Error>: code and message (each "" when absent). */
struct s3_xml_error {
	char	code[64];
	char	message[200];
};

/* 1 when p[0..n) is an <Error> document (filled), else 0. */
int	s3_xml_error(const char *p, size_t n, struct s3_xml_error *x);

/* Object Lock configuration of a bucket (GET ?object-lock). */
struct s3_xml_lock {
	int	enabled;	/* <ObjectLockEnabled>Enabled */
	char	mode[16];	/* default retention mode, "" if none */
	unsigned long days;	/* default retention days (years * 365) */
};

/* 0 parsed (enabled may be 0), -1 when it is not such a document. */
int	s3_xml_lock_config(const char *p, size_t n, struct s3_xml_lock *x);

/* One uploaded part for CompleteMultipartUpload. */
struct s3_xml_part {
	unsigned	 number;		/* 1..10000 */
	char		 etag[80];		/* as the server sent it, quotes kept */
	char		 sha256_b64[48];	/* "" unless checksum = sha256 */
};

/* One part as ListParts reports it. */
struct s3_xml_listed {
	unsigned	 number;
	char		 etag[80];		/* quotes stripped */
	unsigned long long size;
};

/*
 * Walk the <Part> elements of a ListParts answer, calling fn for each
 * (fn returns 0, or -1 to stop).  *truncated and *next_marker come from
 * <IsTruncated> and <NextPartNumberMarker>.  Returns the number of parts
 * seen, or -1 when the document is not a ListPartsResult or fn stopped.
 */
int	s3_xml_list_parts(const char *p, size_t n,
	    int (*fn)(void *ctx, const struct s3_xml_listed *lp), void *ctx,
	    int *truncated, unsigned *next_marker);

/* <CompleteMultipartUpload> body with every part, in order. */
int	s3_xml_complete_body(struct buf *out, const struct s3_xml_part *parts,
	    size_t n);
/* <Retention> body: mode GOVERNANCE|COMPLIANCE, until ISO 8601 UTC. */
int	s3_xml_retention_body(struct buf *out, const char *mode,
	    const char *until);
/* <LegalHold> body with Status ON or OFF. */
int	s3_xml_legal_hold_body(struct buf *out, int on);

/* What a failed S3 answer means for the destination. */
enum s3_xml_class {
	S3_XML_RETRY,		/* transient: 5xx, SlowDown, RequestTimeout */
	S3_XML_CREDENTIALS,	/* AccessDenied, InvalidAccessKeyId, bad sig */
	S3_XML_CLOCK,		/* RequestTimeTooSkewed */
	S3_XML_EXPIRED,		/* ExpiredToken: refresh credentials, retry */
	S3_XML_BUCKET,		/* NoSuchBucket, InvalidBucketName, region */
	S3_XML_STOP,		/* any other client error */
};

/* Classify an HTTP status plus the <Code> (may be "") of an answer. */
enum s3_xml_class s3_xml_classify(long status, const char *code);

#endif
