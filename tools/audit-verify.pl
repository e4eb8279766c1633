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
#       write DIR/audit_log.jsonl, audit_block_xact.jsonl, audit_block.jsonl
#       and audit_pending.jsonl (and audit_key.jsonl with --with-keys, as a
#       superuser) with psql, which connects as the PG* variables say
#   audit-verify.pl check DIR [--digest BLOCK_NO:HEX] [--max-problems N]
#       verify an export; DIR/audit_key.jsonl, when present, gives the keys
#
# "check" prints one line per problem found and a summary, and exits 0 when
# the trail holds, 1 when it does not, 2 on bad usage or unreadable input.
use strict;
use warnings;
use Digest::SHA qw(sha256 hmac_sha256);
use Encode qw(encode_utf8);

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
		'key', encode(key, 'hex'), 'first_block', first_block::text)
		FROM carbon_ledger.audit_key ORDER BY key_id},
);

# JSON::PP is a core module; JSON::XS (Debian: libjson-xs-perl), when
# installed, decodes the same text ten times faster.
my $json = eval { require JSON::XS; JSON::XS->new->utf8 }
  // do { require JSON::PP; JSON::PP->new->utf8 };
my @problems;
my $max_problems = 20;

# usage(): print how to call this and exit 2.
sub usage
{
	print STDERR "usage: $0 export DIR [--with-keys]\n",
	  "       $0 check DIR [--digest BLOCK_NO:HEX] [--max-problems N]\n";
	exit 2;
}

# export_table(DIR, TABLE): write one table as JSON lines, one row a line.
sub export_table
{
	my ($dir, $table) = @_;
	# separate commands: psql fetches a lone SELECT in batches of
	# FETCH_COUNT rows, not a string of several statements
	my @cmd = ('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
		'-v', 'FETCH_COUNT=10000', '-o', "$dir/$table.jsonl",
		'-c', "SET TimeZone = 'UTC'", '-c', "SET DateStyle = 'ISO'",
		'-c', "SELECT $EXPORT{$table}");
	system(@cmd) == 0 or die "$0: exporting $table failed\n";
	return;
}

# each_row(FILE, CALLBACK): calls CALLBACK with every row of an exported
# table, decoded, one at a time.
sub each_row
{
	my ($file, $callback) = @_;
	open(my $fh, '<:raw', $file) or die "$0: cannot read $file: $!\n";
	while (my $line = <$fh>)
	{
		chomp $line;
		next if $line eq '';
		$callback->($json->decode($line));
	}
	close $fh;
	return;
}

# read_rows(FILE): the rows of an exported table, decoded.
sub read_rows
{
	my @rows;
	each_row($_[0], sub { push @rows, $_[0] });
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
	my $bx = read_rows("$dir/audit_block_xact.jsonl");
	my $blocks = read_rows("$dir/audit_block.jsonl");
	my $pending = -e "$dir/audit_pending.jsonl"
	  ? read_rows("$dir/audit_pending.jsonl") : [];
	my $keys = -e "$dir/audit_key.jsonl"
	  ? read_rows("$dir/audit_key.jsonl") : [];
	my (%xact, %pending, %key_by_id, %sealed);
	my $records = 0;
	my $unsealed = 0;

	# 1. every record's leaf; of each record only what its transaction's
	# tree needs is kept: ordinal, id, stored leaf hash
	each_row("$dir/audit_log.jsonl", sub {
		my ($r) = @_;
		my $leaf = sha256("\x00" . record_bytes($r));

		$records++;
		if (($r->{format_version} // '') ne $FORMAT_VERSION)
		{
			problem("record $r->{id}: unknown format version "
				  . ($r->{format_version} // 'NULL'));
		}
		elsif (unpack('H*', $leaf) ne ($r->{leaf_hash} // ''))
		{
			problem("hash mismatch: record $r->{id} does not match its leaf hash");
		}
		push @{ $xact{"$r->{xid}|$r->{xact_start}"} },
		  pack('l> q> a32', $r->{ordinal}, $r->{id},
			pack('H*', $r->{leaf_hash} // ''));
	});
	$pending{"$_->{xid}|$_->{xact_start}"} = 1 for @$pending;
	for my $k (@$keys)
	{
		$key_by_id{ $k->{key_id} } = $k;
	}

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
		my ($want) = grep { $_->{first_block} <= $no }
		  sort { $b->{first_block} <=> $a->{first_block} } @$keys;
		my $hash;
		if (defined $blk->{key_id})
		{
			my $k = $key_by_id{ $blk->{key_id} };
			if (!$k)
			{
				problem("key missing: block $no was sealed with HMAC key "
					  . "$blk->{key_id}, which is not in the export");
			}
			else
			{
				$hash = hmac_sha256($header, pack('H*', $k->{key}));
			}
		}
		elsif ($want)
		{
			problem("hash mismatch: block $no is not hashed with HMAC key "
				  . "$want->{key_id}");
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

	# 4. a digest kept outside the database: the chain must still hold it
	if (defined $digest)
	{
		my ($no, $hex) = @$digest;
		my ($blk) = grep { $_->{block_no} == $no } @$blocks;
		if (!$blk)
		{
			problem("digest not in chain: block $no does not exist");
		}
		elsif ($blk->{block_hash} ne lc $hex)
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
		print "INVALID: $n problems in $summary\n";
		return 1;
	}
	print "valid: $summary\n";
	return 0;
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
	-d $dir or mkdir $dir or die "$0: cannot create $dir: $!\n";
	export_table($dir, $_)
	  for qw(audit_log audit_block_xact audit_block audit_pending);
	export_table($dir, 'audit_key') if $keys;
	exit 0;
}
elsif ($cmd eq 'check')
{
	my $digest;
	while (my $opt = shift @ARGV)
	{
		if ($opt eq '--digest' && ($ARGV[0] // '') =~ /^(\d+):([0-9a-fA-F]{64})$/)
		{
			$digest = [ $1, $2 ];
			shift @ARGV;
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
