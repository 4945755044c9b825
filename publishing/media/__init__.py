"""Media: images and documents as content.

The database holds what is known about each file (kind, type sniffed from its bytes, size,
hash, dimensions, focal point, per-language alt text and captions, credit, placeholder);
the bytes live in a storage (a local folder or S3-compatible object storage). Images are
served as renditions made on first request at the size and format a signed URL names.
"""
