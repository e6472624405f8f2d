#!/bin/sh
# Nightly backup of the Passerelles database (docs/deployment.md, "Backups").
#
#   DATABASE_URL=postgres://… BACKUP_DIR=/var/backups/passerelles deploy/backup.sh
#
# One pg_dump in PostgreSQL's custom format (compressed, restorable table by table),
# written under a temporary name, checked readable, then renamed; dumps older than
# BACKUP_DAYS days are deleted. The cache table's rows are left out: a restored portal
# rebuilds its cache. Prints the dump's path. The dumps hold personal data: the folder
# is readable by its owner only; copy them off the machine, encrypted.
set -eu
: "${DATABASE_URL:?DATABASE_URL must be set}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/passerelles}
BACKUP_DAYS=${BACKUP_DAYS:-30}

umask 077
mkdir -p "$BACKUP_DIR"
file="$BACKUP_DIR/passerelles-$(date +%Y-%m-%d-%H%M%S).dump"
pg_dump --format=custom --no-owner --exclude-table-data=passerelles_cache \
    --file="$file.partial" --dbname="$DATABASE_URL"
pg_restore --list "$file.partial" >/dev/null
mv "$file.partial" "$file"
find "$BACKUP_DIR" -name 'passerelles-*.dump' -mtime +"$BACKUP_DAYS" -delete
echo "$file"
