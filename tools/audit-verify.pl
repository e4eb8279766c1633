#!/usr/bin/env perl
# carbon_ledger's audit trail, verified outside the database.
#
# An auditor's check that does not trust the database it checks: it reads
# an export of the trail's tables and recomputes every hash with Perl's own
# SHA-256 (core modules only), following docs/audit-format.md byte for
# byte: each record's leaf from its columns, each transaction's RFC 6962
# Merkle root, each block's tree over its transaction entries, its header
# hash (HMAC-SHA-256 for keyed blocks) and its link to the block before.
#
#   audit-verify.pl export DIR [--with-keys]
#       write DIR/audit_log.jsonl, audit_block_xact.jsonl, audit_block.jsonl,
#       audit_pending.jsonl and audit_key.jsonl (the key list: ids and first
#       blocks, when the role may read them; with --with-keys, as a
#       superuser, the keys too) with psql, which connects as the PG*
#       variables say, all from one snapshot
#   audit-verify.pl check DIR [--digest BLOCK_NO:HEX] [--max-problems N]
#       verify an export; DIR/audit_key.jsonl, when present, lists the keys
#
# "check" prints one line per problem found and a summary, and exits 0 when
# the trail holds, 1 when it does not, 2 on bad usage or unreadable input.
use strict;
use warnings;
use B ();
use Digest::SHA qw(sha256 hmac_sha256);
use Encode qw(encode_utf8);
use Fcntl qw(O_WRONLY O_CREAT O_EXCL);
use File::Spec;

my $FORMAT_VERSION = 1;
my $ZERO_HASH = "\0" x 32;

# Columns exported per table, each as canonical text (TimeZone UTC and
# DateStyle ISO make timestamptz print in the canonical form), hashes in
# hex, the row images as the jsonb they are stored as.
my %EXPORT = (
	audit_log => q{json_build_object('id', id::text, 'xid', xid::text,
		'ordinal', ordinal::text, 'table_name', table_name,
		'operation', operation, 'row_key', row_key, 'old_row', old_row,
		'new_row', new_row, 'session_user_name', session_user_name,
		'current_user_name', current_user_name,
		'xact_start', xact_start::text, 'stmt_time', stmt_time::text,
		'format_version', format_version::text,
		'leaf_hash', encode(leaf_hash, 'hex'))
		FROM carbon_ledger.audit_log ORDER BY xid, xact_start, ordinal, id},
	audit_block_xact => q{json_build_object('block_no', block_no::text,
		'position', position::text, 'xid', xid::text,
		'xact_start', xact_start::text, 'n_records', n_records::text,
		'merkle_root', encode(merkle_root, 'hex'))
		FROM carbon_ledger.audit_block_xact ORDER BY block_no, position},
	audit_block => q{json_build_object('block_no', block_no::text,
		'prev_hash', encode(prev_hash, 'hex'),
		'merkle_root', encode(merkle_root, 'hex'),
		'n_transactions', n_transactions::text,
		'n_records', n_records::text,
		'system_identifier', system_identifier::text,
		'database_oid', database_oid::text, 'key_id', key_id::text,
		'format_version', format_version::text,
		'block_hash', encode(block_hash, 'hex'))
		FROM carbon_ledger.audit_block ORDER BY block_no},
	audit_pending => q{json_build_object('xid', xid::text,
		'xact_start', xact_start::text)
		FROM carbon_ledger.audit_pending},
	audit_key => q{json_build_object('key_id', key_id::text,
		'first_block', first_block::text)
		FROM carbon_ledger.audit_key ORDER BY key_id},
	audit_key_material => q{json_build_object('key_id', key_id::text,
		'key', encode(key, 'hex'), 'first_block', first_block::text)
		FROM carbon_ledger.audit_key ORDER BY key_id},
);

# What each field of an exported row must be, as the export writes it: int
# (a decimal integer, as text or a JSON number), text (a string; a number
# stands for its text), hex (a hash: 64 hex digits), key (hex digits),
# image (a JSON object whose values are strings or null); a trailing ?
# allows null.  Anything else cannot come from the table's column: the row
# is reported, never guessed at.  Of audit_log the fields that place a
# record (id, transaction, ordinal) are in %FIELDS; the others, checked by
# check_record(), only make its record one that was not hashed.
my %FIELDS = (
	audit_log => { id => 'int', xid => 'int', ordinal => 'int',
		xact_start => 'text' },
	audit_block_xact => { block_no => 'int', position => 'int', xid => 'int',
		xact_start => 'text', n_records => 'int', merkle_root => 'hex' },
	audit_block => { block_no => 'int', prev_hash => 'hex',
		merkle_root => 'hex', n_transactions => 'int', n_records => 'int',
		system_identifier => 'int', database_oid => 'int', key_id => 'int?',
		format_version => 'int', block_hash => 'hex' },
	audit_pending => { xid => 'int', xact_start => 'text' },
	audit_key => { key_id => 'int', first_block => 'int', key => 'key?' },
);
my %RECORD_FIELDS = (table_name => 'text', operation => 'text',
	session_user_name => 'text', current_user_name => 'text',
	stmt_time => 'text', format_version => 'int', row_key => 'image?',
	old_row => 'image?', new_row => 'image?', leaf_hash => 'hex');
my %TYPE_NAME = (int => 'an integer', text => 'text', hex => 'a hash in hex',
	key => 'a key in hex', image => 'a row image');

# JSON::PP is a core module; JSON::XS (Debian: libjson-xs-perl), when
# installed, decodes the same text ten times faster.
my $json = eval { require JSON::XS; JSON::XS->new->utf8->allow_nonref }
  // do { require JSON::PP; JSON::PP->new->utf8->allow_nonref };
my @problems;
my $max_problems = 20;

# usage(): print how to call this and exit 2.
sub usage
{
	print STDERR "usage: $0 export DIR [--with-keys]\n",
	  "       $0 check DIR [--digest BLOCK_NO:HEX] [--max-problems N]\n";
	exit 2;
}

# export(DIR, WITH_KEYS): write every table as JSON lines, one row a line,
# from one psql session in one REPEATABLE READ transaction: tables read in
# separate snapshots disagree whenever a seal commits in between (records
# of a transaction missing from the log but sealed in a block).  The
# session's encoding is UTF-8 whatever PGCLIENTENCODING says (the files are
# UTF-8, and every character has a UTF-8 form).  The key list, without the
# keys, is written when the role may read it: without it check cannot tell
# whether keyed blocks were downgraded to plain SHA-256.
sub export
{
	my ($dir, $with_keys) = @_;
	my @tables = qw(audit_log audit_block_xact audit_block audit_pending);
	my $keys = "$dir/audit_key.jsonl";
	# absolute: \o takes a name starting with | for a command to run
	$dir = File::Spec->rel2abs($dir);
	die "$0: $dir: a directory name must not hold control characters\n"
	  if $dir =~ /[\x00-\x1f\x7f]/;
	unlink $keys or $!{ENOENT} or die "$0: cannot remove $keys: $!\n";
	# the keys are secrets: their file is readable by its owner only
	# (psql's \o then writes into it as it is), in a directory nobody else
	# can write, where nobody can put a file of theirs in its place
	if ($with_keys)
	{
		my @dst = stat($dir);
		die "$0: --with-keys needs a directory of yours that only you can "
		  . "write; $dir is not\n"
		  if !@dst || $dst[4] != $> || ($dst[2] & 022) != 0;
		sysopen(my $fh, $keys, O_WRONLY | O_CREAT | O_EXCL, 0600)
		  or die "$0: cannot create $keys: $!\n";
		close($fh);
	}
	# each SELECT alone, so that psql fetches it by FETCH_COUNT rows (it
	# does so inside a transaction too); file names in psql variables,
	# which \o takes as they are
	my $script = join('',
		"SET client_encoding = 'UTF8';\n",
		"SET TimeZone = 'UTC';\n", "SET DateStyle = 'ISO';\n",
		"SET search_path = pg_catalog;\n",
		"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n",
		map { "\\o :f_$_\nSELECT $EXPORT{$_};\n" } @tables);
	if ($with_keys)
	{
		$script .= "\\o :f_audit_key\nSELECT $EXPORT{audit_key_material};\n";
	}
	else
	{
		$script .= "SELECT has_column_privilege('carbon_ledger.audit_key', "
		  . "'key_id', 'SELECT') AND has_column_privilege("
		  . "'carbon_ledger.audit_key', 'first_block', 'SELECT') AS key_list \\gset\n"
		  . "\\if :key_list\n\\o :f_audit_key\nSELECT $EXPORT{audit_key};\n\\endif\n";
	}
	$script .= "\\o\nCOMMIT;\n";
	my @cmd = ('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
		'-v', 'FETCH_COUNT=10000',
		map({ ('-v', "f_$_=$dir/$_.jsonl") } @tables, 'audit_key'),
		'-f', '-');
	local $ENV{PGCLIENTENCODING} = 'UTF8';
	local $SIG{PIPE} = 'IGNORE';
	open(my $psql, '|-', @cmd) or die "$0: cannot run psql: $!\n";
	print $psql $script;
	if (!close($psql))
	{
		# no partial export: a log without its key list would check
		# without the HMAC coverage test
		unlink map { "$dir/$_.jsonl" } @tables, 'audit_key';
		die "$0: exporting the audit trail failed (psql's error is above); "
		  . "nothing was written to $dir\n"
		  . ($with_keys ? "$0: --with-keys exports the HMAC keys, which only "
			  . "a superuser may read\n" : '');
	}

	# psql wrote the keys into the file by its name: in a directory others
	# may write, someone could have put a file of theirs in its place
	if ($with_keys)
	{
		my @st = lstat($keys);
		if (!@st || !-f _ || $st[4] != $> || ($st[2] & 077) != 0)
		{
			unlink map { "$dir/$_.jsonl" } @tables, 'audit_key';
			die "$0: $keys was replaced during the export by a file that is "
			  . "not this user's alone; nothing was written to $dir "
			  . "(export into a directory only you can write)\n";
		}
	}
	print STDERR "$0: warning: this role cannot read the key list "
	  . "(key_id, first_block of carbon_ledger.audit_key): none exported, "
	  . "so check cannot tell whether blocks were downgraded from HMAC to "
	  . "plain SHA-256\n"
	  unless -e $keys;
	return;
}

# json_string(VALUE): whether VALUE was decoded from a JSON string, not a
# number (Perl keeps the difference in its flags until the value is used;
# integers too large for Perl are strings either way: see check_record).
sub json_string
{
	my $flags = B::svref_2object(\$_[0])->FLAGS;
	return !ref $_[0] && ($flags & B::SVf_POK)
	  && !($flags & (B::SVf_IOK | B::SVf_NOK));
}

# bad_value(VALUE, TYPE): whether VALUE is not a TYPE of %FIELDS.
sub bad_value
{
	my ($v, $type) = @_;
	my $nullable = $type =~ s/\?$//;
	return !$nullable unless defined $v;
	if ($type eq 'image')
	{
		return 1 unless ref $v eq 'HASH';
		for (values %$v)
		{
			return 1 if defined $_ && !json_string($_);
		}
		return 0;
	}
	return 1 if ref $v;
	return $v !~ /^-?(?:0|[1-9][0-9]{0,19})\z/ if $type eq 'int';
	return $v !~ /^[0-9a-f]{64}\z/ if $type eq 'hex';
	return $v !~ /^(?:[0-9a-f]{2})+\z/ if $type eq 'key';
	return 0;
}

# bad_fields(ROW, FIELDS): the names of the fields of ROW that are not what
# FIELDS (a hash of %FIELDS) says they must be.
sub bad_fields
{
	my ($row, $fields) = @_;
	return grep { bad_value($row->{$_}, $fields->{$_}) } sort keys %$fields;
}

# malformed(FILE, LINE, WHAT): note a row the export cannot have written.
sub malformed
{
	my ($file, $line, $what) = @_;
	problem("malformed row: $file line $line: $what");
	return;
}

# each_row(DIR, TABLE, CALLBACK): calls CALLBACK with every row of an
# exported table, decoded, one at a time, with its line number and text;
# a line that is not a JSON object is reported and skipped, one that is not
# JSON makes the export unreadable.
sub each_row
{
	my ($dir, $table, $callback) = @_;
	my $file = "$dir/$table.jsonl";
	open(my $fh, '<:raw', $file) or die "$0: cannot read $file: $!\n";
	while (my $line = <$fh>)
	{
		chomp $line;
		next if $line eq '';
		my $row = eval { $json->decode($line) };
		die "$0: $file line $.: $@" unless defined $row || !$@;
		if (ref $row ne 'HASH')
		{
			malformed("$table.jsonl", $., 'not a JSON object');
			next;
		}
		$callback->($row, $., $line);
	}
	close $fh;
	return;
}

# read_rows(DIR, TABLE): the rows of an exported table, decoded; rows with
# a field of the wrong type are reported and left out.
sub read_rows
{
	my ($dir, $table) = @_;
	my @rows;
	each_row($dir, $table, sub {
		my ($row, $n) = @_;
		my @bad = bad_fields($row, $FIELDS{$table});
		malformed("$table.jsonl", $n, "$_ is not "
			  . $TYPE_NAME{ $FIELDS{$table}{$_} =~ s/\?$//r }) for @bad;
		push @rows, $row unless @bad;
	});
	return \@rows;
}

# problem(TEXT): note one problem (all are kept; max_problems are printed).
sub problem
{
	push @problems, $_[0];
	return;
}

# field(BYTES) and the other encoders of docs/audit-format.md, "Building
# blocks": a 4-byte big-endian length, then the bytes; NULL is ff ff ff ff.
sub field
{
	my ($bytes) = @_;
	return "\xff\xff\xff\xff" unless defined $bytes;
	return pack('N', length $bytes) . $bytes;
}

# text(STRING): a text field, UTF-8 encoded; hash_field(BYTES): 32 raw bytes.
sub text { return field(defined $_[0] ? encode_utf8($_[0]) : undef); }
sub hash_field { return field($_[0]); }

# image(JSON): a row image: column count, then name and value per column in
# byte order of the UTF-8 names; an absent image is the NULL marker.
sub image
{
	my ($img) = @_;
	return "\xff\xff\xff\xff" unless defined $img;
	my %cols = map { encode_utf8($_) => $img->{$_} } keys %$img;
	my $out = pack('N', scalar keys %cols);
	for my $name (sort keys %cols)
	{
		my $v = $cols{$name};
		$out .= field($name) . field(defined $v ? encode_utf8($v) : undef);
	}
	return $out;
}

# record_bytes(ROW): the canonical record of an audit_log row.
sub record_bytes
{
	my ($r) = @_;
	return join('',
		text($r->{format_version}), text($r->{id}), text($r->{xid}),
		text($r->{ordinal}), text($r->{table_name}), text($r->{operation}),
		text($r->{session_user_name}), text($r->{current_user_name}),
		text($r->{xact_start}), text($r->{stmt_time}),
		image($r->{row_key}), image($r->{old_row}), image($r->{new_row}));
}

# check_record(ROW, LINE): whether the fields of an audit_log row other than
# those that place it can be those of a record that was hashed (as
# audit_verify() finds no leaf for a stored image that is not an object of
# strings and nulls).  A JSON number too large for Perl decodes as a string
# of its digits: a row with such a string in an image is decoded again with
# JSON::PP's bignum, where such a number is an object.
sub check_record
{
	my ($r, $line) = @_;
	return 0 if bad_fields($r, \%RECORD_FIELDS);
	my @digits = grep { defined && /^-?[0-9]{19,}\z/ }
	  map { values %{ $r->{$_} // {} } } qw(row_key old_row new_row);
	if (@digits)
	{
		require JSON::PP;
		my $exact = JSON::PP->new->utf8->allow_bignum->decode($line);
		return 0 if grep { bad_value($exact->{$_}, 'image?') }
		  qw(row_key old_row new_row);
	}
	return 1;
}

# record_entry(PACKED): a record as its transaction's tree needs it,
# unpacked from what check() keeps of it: ordinal, id, stored leaf hash.
sub record_entry
{
	my ($ordinal, $id, $leaf) = unpack('l> q> a32', $_[0]);
	return { ordinal => $ordinal, id => $id, leaf => $leaf };
}

# mth(LEAF_HASHES...): the RFC 6962 Merkle tree hash over leaf hashes.
sub mth
{
	my @h = @_;
	return sha256('') unless @h;
	return $h[0] if @h == 1;
	my $k = 1;
	$k <<= 1 while $k * 2 < @h;
	return sha256("\x01" . mth(@h[0 .. $k - 1]) . mth(@h[$k .. $#h]));
}

# check(DIR, DIGEST): verify an export; returns the exit status.
sub check
{
	my ($dir, $digest) = @_;
	my $bx = read_rows($dir, 'audit_block_xact');
	my $blocks = read_rows($dir, 'audit_block');
	my $pending = -e "$dir/audit_pending.jsonl"
	  ? read_rows($dir, 'audit_pending') : [];
	my $keys = -e "$dir/audit_key.jsonl" ? read_rows($dir, 'audit_key') : [];
	my (%xact, %pending, %key_by_id, %sealed);
	my $records = 0;
	my $unsealed = 0;

	print STDERR "$0: warning: no key list in $dir (audit_key.jsonl): blocks "
	  . "downgraded from HMAC to plain SHA-256 cannot be detected\n"
	  unless -e "$dir/audit_key.jsonl";

	# 1. every record's leaf; of each record only what its transaction's
	# tree needs is kept: ordinal, id, stored leaf hash (all bytes ff when
	# it is not a hash, as in audit_verify(): it then matches no leaf)
	each_row($dir, 'audit_log', sub {
		my ($r, $n, $line) = @_;
		my @bad = bad_fields($r, $FIELDS{audit_log});
		my $hashed = check_record($r, $line);

		$records++;
		if (@bad)
		{
			malformed('audit_log.jsonl', $n, "$_ is not "
				  . $TYPE_NAME{ $FIELDS{audit_log}{$_} }) for @bad;
			return;
		}
		if (!$hashed)
		{
			problem("hash mismatch: record $r->{id} does not match its leaf hash");
		}
		elsif ($r->{format_version} ne $FORMAT_VERSION)
		{
			problem("record $r->{id}: unknown format version $r->{format_version}");
		}
		elsif (unpack('H*', sha256("\x00" . record_bytes($r))) ne $r->{leaf_hash})
		{
			problem("hash mismatch: record $r->{id} does not match its leaf hash");
		}
		push @{ $xact{"$r->{xid}|$r->{xact_start}"} },
		  pack('l> q> a32', $r->{ordinal}, $r->{id},
			bad_value($r->{leaf_hash}, 'hex')
			? "\xff" x 32 : pack('H*', $r->{leaf_hash}));
	});
	$pending{"$_->{xid}|$_->{xact_start}"} = 1 for @$pending;
	# in the order audit_verify() reads them: the last key whose first
	# block is at or before a block is the one that block must use
	my @keys = sort {
		$a->{first_block} <=> $b->{first_block} || $a->{key_id} <=> $b->{key_id}
	} @$keys;
	$key_by_id{ $_->{key_id} } = $_ for @keys;

	# 2. each sealed transaction's records against its Merkle root
	for my $e (@$bx)
	{
		my $name = "$e->{xid}|$e->{xact_start}";
		my $recs = delete $xact{$name} // [];
		my @sorted = sort { $a->{ordinal} <=> $b->{ordinal} }
		  map { record_entry($_) } @$recs;
		my $n = scalar @sorted;

		problem("duplicate transaction: $e->{xid} appears twice in the blocks")
		  if $sealed{$name}++;
		for my $i (1 .. $#sorted)
		{
			problem("reordered record: record $sorted[$i]{id} is out of order in transaction $e->{xid}")
			  if $sorted[$i]{ordinal} == $sorted[$i - 1]{ordinal}
			  || $sorted[$i]{id} <= $sorted[$i - 1]{id};
		}
		if ($n < $e->{n_records})
		{
			problem("missing record: transaction $e->{xid} has $n of the "
				  . "$e->{n_records} records sealed in block $e->{block_no}");
		}
		elsif ($n > $e->{n_records})
		{
			problem("inserted record: transaction $e->{xid} has $n records, "
				  . "block $e->{block_no} sealed $e->{n_records}");
		}
		my $root = mth(map { $_->{leaf} } @sorted);
		problem("hash mismatch: the records of transaction $e->{xid} do not "
			  . "match its Merkle root in block $e->{block_no}")
		  if unpack('H*', $root) ne $e->{merkle_root};
	}

	# records of no sealed transaction: pending, or written behind its back
	for my $name (sort keys %xact)
	{
		if ($pending{$name})
		{
			$unsealed += @{ $xact{$name} };
			next;
		}
		my ($first) = sort { $a <=> $b }
		  map { record_entry($_)->{id} } @{ $xact{$name} };
		my ($xid) = split /\|/, $name;
		problem("inserted record: record $first belongs to transaction $xid, "
			  . "which is neither sealed nor pending");
	}

	# 3. the blocks: transactions, header hash, link to the block before
	my %entries;
	push @{ $entries{ $_->{block_no} } }, $_ for @$bx;
	my $prev = $ZERO_HASH;
	my $expect = 1;
	for my $blk (@$blocks)
	{
		my $no = $blk->{block_no};
		my @tx = @{ delete $entries{$no} // [] };
		my $nrec = 0;
		my @leaves;

		problem("broken link: block $no follows block " . ($expect - 1))
		  if $no != $expect;
		problem("broken link: block $no does not hash the block before it")
		  if pack('H*', $blk->{prev_hash}) ne $prev;
		for my $i (0 .. $#tx)
		{
			my $e = $tx[$i];
			problem("reordered record: transaction $e->{xid} is at position "
				  . "$e->{position} of block $no, expected $i")
			  if $e->{position} != $i;
			push @leaves, sha256("\x00" . text($e->{xid})
				  . text($e->{xact_start}) . text($e->{n_records})
				  . hash_field(pack('H*', $e->{merkle_root})));
			$nrec += $e->{n_records};
		}
		problem("hash mismatch: the transactions of block $no do not match "
			  . "its Merkle root")
		  if unpack('H*', mth(@leaves)) ne $blk->{merkle_root}
		  || @tx != $blk->{n_transactions}
		  || $nrec != $blk->{n_records};

		my $header = join('',
			text($blk->{format_version}), text($no),
			hash_field(pack('H*', $blk->{prev_hash})),
			hash_field(pack('H*', $blk->{merkle_root})),
			text($blk->{n_transactions}), text($blk->{n_records}),
			text($blk->{system_identifier}), text($blk->{database_oid}),
			defined $blk->{key_id} ? text($blk->{key_id}) : field(undef));
		# the key this block must use, from the key list alone: a block
		# downgraded to another key or none shows without the keys
		my $want;
		$want = $_ for grep { $_->{first_block} <= $no } @keys;
		my $have = defined $blk->{key_id} ? $key_by_id{ $blk->{key_id} } : undef;
		my $hash;
		if (defined $blk->{key_id} && !$have)
		{
			problem("key missing: block $no was sealed with HMAC key "
				  . "$blk->{key_id}, which is not in the export");
		}
		elsif ($want && !($have && $have->{key_id} == $want->{key_id}))
		{
			problem("hash mismatch: block $no is not hashed with HMAC key "
				  . "$want->{key_id}");
		}
		elsif ($have && !defined $have->{key})
		{
			problem("key missing: block $no was sealed with HMAC key "
				  . "$blk->{key_id}, which is not in the export");
		}
		elsif ($have)
		{
			$hash = hmac_sha256($header, pack('H*', $have->{key}));
		}
		else
		{
			$hash = sha256($header);
		}
		problem("hash mismatch: block $no does not match its hash")
		  if defined $hash && unpack('H*', $hash) ne $blk->{block_hash};
		$prev = pack('H*', $blk->{block_hash});
		$expect = $no + 1;
	}
	for my $no (sort { $a <=> $b } keys %entries)
	{
		problem("broken link: transaction $_->{xid} belongs to block $no, "
			  . "which does not exist") for @{ $entries{$no} };
	}

	# 4. a digest kept outside the database: the chain must still hold it,
	# in the database the digest names when it names one (the composite
	# form); block 0 with the zero hash is the empty chain's digest, which
	# every chain of its database extends
	if (defined $digest)
	{
		my ($no, $hex, $sys, $db) = @$digest;
		my ($blk) = grep { $_->{block_no} == ($no || 1) } @$blocks;
		my $ident = defined $sys && $blk
		  && ($blk->{system_identifier} ne $sys
			|| $blk->{database_oid} ne $db);
		if ($no == 0)
		{
			problem("digest not in chain: the empty chain of database "
				  . ($sys // '?') . '/' . ($db // '?')
				  . " is not this chain's start")
			  if $hex ne unpack('H*', $ZERO_HASH) || $ident;
		}
		elsif (!$blk)
		{
			problem("digest not in chain: block $no does not exist");
		}
		elsif ($ident)
		{
			problem("digest not in chain: the digest belongs to database "
				  . "$sys/$db, block $no to database "
				  . "$blk->{system_identifier}/$blk->{database_oid}");
		}
		elsif ($blk->{block_hash} ne $hex)
		{
			problem("digest not in chain: block $no has another hash");
		}
	}

	my $summary = sprintf('%d records, %d blocks, %d unsealed records',
		$records, scalar @$blocks, $unsealed);
	if (@problems)
	{
		my $n = @problems;
		splice(@problems, $max_problems) if $n > $max_problems;
		print "$_\n" for @problems;
		print "... and ", $n - $max_problems, " more\n" if $n > $max_problems;
		printf "INVALID: %d problem%s in %s\n", $n, $n == 1 ? '' : 's',
		  $summary;
		return 1;
	}
	print "valid: $summary"
	  . (defined $digest ? ", digest of block $digest->[0] in the chain" : '')
	  . "\n";
	return 0;
}

# parse_digest(TEXT): [block_no, hex hash, system identifier, database oid]
# of a digest given as BLOCK_NO:HEX or BLOCK_NO:\xHEX (no identity), or as
# psql prints audit_digest(), (BLOCK_NO,"\\xHEX",SYSID,DBOID,NAME); exits 2
# with an explanation otherwise.
sub parse_digest
{
	my ($text) = @_;
	return [ $1 + 0, lc $2 ]
	  if defined $text
	  && $text =~ /^\s*(\d+)\s*:\s*(?:\\x)?([0-9a-fA-F]{64})\s*$/;
	return [ $1 + 0, lc $2, length $3 && length $4 ? ($3, $4) : () ]
	  if defined $text
	  && $text =~ /^\s*\(\s*(\d+)\s*,\s*"?(?:\\\\x|\\x)([0-9a-fA-F]{64})"?\s*,\s*(\d*)\s*,\s*(\d*)\s*,/;
	print STDERR "$0: --digest takes BLOCK_NO:BLOCK_HASH in hex, or the "
	  . "composite audit_digest() returns, not \""
	  . ($text // '') . "\"; in psql:\n"
	  . "  SELECT block_no || ':' || encode(block_hash, 'hex') "
	  . "FROM carbon_ledger.audit_digest();\n";
	exit 2;
}

my $cmd = shift @ARGV // usage();
my $dir = shift @ARGV // usage();
if ($cmd eq 'export')
{
	my $keys = 0;
	while (my $opt = shift @ARGV)
	{
		$opt eq '--with-keys' ? ($keys = 1) : usage();
	}
	# a directory made here is its owner's alone: the keys may go in it
	-d $dir or mkdir($dir, 0700) or die "$0: cannot create $dir: $!\n";
	if (!eval { export($dir, $keys); 1 })
	{
		print STDERR $@;
		exit 2;
	}
	exit 0;
}
elsif ($cmd eq 'check')
{
	my $digest;
	while (my $opt = shift @ARGV)
	{
		if ($opt eq '--digest')
		{
			$digest = parse_digest(shift @ARGV);
		}
		elsif ($opt eq '--max-problems' && ($ARGV[0] // '') =~ /^\d+$/)
		{
			$max_problems = shift @ARGV;
		}
		else
		{
			usage();
		}
	}
	my $status = eval { check($dir, $digest) };
	if (!defined $status)
	{
		print STDERR $@;
		exit 2;
	}
	exit $status;
}
usage();
