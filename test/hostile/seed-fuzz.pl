#!/usr/bin/perl
# Writes the hostile inputs into the libFuzzer seed corpora, so that
# "make test" replays them against src/core under AddressSanitizer and
# UBSan: every line of inputs.txt (COPY escapes decoded) and byte strings
# that text cannot carry (NUL bytes, invalid UTF-8), each as
# test/fuzz/corpus/NAME/hostile-NNN for the parsers and the validators.
#
#   perl test/hostile/seed-fuzz.pl      (from the top of the tree)
use strict;
use warnings;

my @inputs;
open(my $in, '<:raw', 'test/hostile/inputs.txt') or die "inputs.txt: $!";
while (my $line = <$in>)
{
	chomp $line;
	$line =~ s/\\(.)/$1 eq 't' ? "\t" : $1 eq 'n' ? "\n" : $1 eq 'r' ? "\r" : $1/ge;
	push @inputs, $line;
}
close $in;

# what a text datum cannot hold, but the parsers' (pointer, length)
# interface can be given
push @inputs,
  "1\0 kg", "\0", "1 kg\0", "1 \xe5\x90", "1 \xe5\x90\xa8\xe5", "1 \xc0\xae",
  "1 \x80", "1 \xed\xa0\x80", "1 \xff\xfe", "1 \xf4\x90\x80\x80",
  "91350100M000100Y4\0", "1101051949123100\0X", "\xef\xbc\x91 t",
  "9" x 4000, "0." . "0" x 3000 . "1", "1e" . "9" x 4000;

for my $dir (qw(tco2e_parse credit_parse validators))
{
	my $path = "test/fuzz/corpus/$dir";
	-d $path or die "$path is missing";
	unlink glob("$path/hostile-*");
	my $i = 0;
	for my $s (@inputs)
	{
		my $file = sprintf("%s/hostile-%03d", $path, $i++);
		open(my $out, '>:raw', $file) or die "$file: $!";
		print $out $s;
		close $out;
	}
}
printf "%d inputs written to 3 corpora\n", scalar @inputs;
