#!/usr/bin/perl
# Generates the Xizang reference data set of the carbon_ledger demo as psql
# scripts (on standard output, or split for a parallel load with --out):
# the programme, 37,901 personal carbon
# accounts, 470,800 activities and redemptions, the green loan portfolio and
# the bank's total loan balances, every row entering through the ledger's
# own tables (COPY fires the same triggers as INSERT).
#
# Deterministic: a fixed seed drives a xorshift128 generator implemented
# here, so the same script comes out on every machine and every run.  No
# network, no modules beyond core Perl.  The figures it is built to match,
# the emission factors and every assumption are in docs/demo.md.
#
#   perl tools/demo/generate.pl > xizang.sql     (one script)
#   perl tools/demo/generate.pl --out DIR --sessions 2
#                                (setup.sql, session-1.sql, session-2.sql,
#                                 loans.sql: see tools/demo/load.sh)
use strict;
use warnings;
use utf8;

binmode STDOUT, ':encoding(UTF-8)';

# Options: --out DIR writes setup.sql, session-K.sql and loans.sql there;
# --sessions N splits the activities and redemptions into N scripts.
my ($out_dir, $sessions) = (undef, 1);
while (@ARGV)
{
	my $opt = shift @ARGV;
	if ($opt eq '--out') { $out_dir = shift @ARGV; }
	elsif ($opt eq q{--sessions}) { $sessions = shift @ARGV; }
	else { die "usage: generate.pl [--out DIR] [--sessions N]\n"; }
}
die "--sessions wants a number from 1 to 16\n"
	unless defined $sessions && $sessions =~ /^\d+$/ && $sessions >= 1 && $sessions <= 16;

# ---------------------------------------------------------------------
# Published targets (docs/demo.md, "The published figures").
# ---------------------------------------------------------------------
my $N_ACCOUNTS = 37_901;			# personal carbon accounts at 2025-03-31
my $N_NEW_Q1 = 6_549;				# of which opened in 2025 Q1
my $N_TRANSACTIONS = 470_800;		# activities + redemptions, programme life
my $N_REDEMPTIONS = 29_800;			# of which redemptions (incl. reversals)
my $N_REVERSALS = 120;				# of which reversals (goods returned)
my $N_ACTIVITIES = $N_TRANSACTIONS - $N_REDEMPTIONS;

# Green loans, in fen (1 yuan = 100 fen) to keep the arithmetic exact.
my $GREEN_BALANCE_2025 = 183_790_000_000_00;	# 183.79 billion yuan
my $GREEN_BALANCE_2024 = 132_901_872_875_84;	# 183.79 bn / 1.3829
my $ALL_LOANS_2025 = 624_920_000_000_00;		# green share 29.41 %
my $ALL_LOANS_2024 = 559_300_000_000_00;		# assumption, see docs

# ---------------------------------------------------------------------
# Random numbers: Marsaglia's xorshift128 on 32-bit words, fixed seed.
# ---------------------------------------------------------------------
my @S = (0x2025_0331 & 0xFFFFFFFF, 0x0005_4000, 0x3790_1654, 0x4708_0026);

# rnd32: the next 32-bit value.
sub rnd32
{
	my $t = $S[0] ^ (($S[0] << 11) & 0xFFFFFFFF);
	@S[0 .. 2] = @S[1 .. 3];
	$S[3] = ($S[3] ^ ($S[3] >> 19) ^ ($t ^ ($t >> 8))) & 0xFFFFFFFF;
	return $S[3];
}

# rnd: uniform in [0, 1).
sub rnd { return rnd32() / 4294967296.0; }

# rint(lo, hi): uniform integer in [lo, hi].
sub rint { my ($lo, $hi) = @_; return $lo + int(rnd() * ($hi - $lo + 1)); }

# pick(\%weights or [[item, weight]...]): one item, weighted.
sub pick
{
	my ($choices) = @_;
	my $total = 0;
	$total += $_->[1] for @$choices;
	my $x = rnd() * $total;
	for my $c (@$choices)
	{
		return $c->[0] if ($x -= $c->[1]) < 0;
	}
	return $choices->[-1][0];
}

# uuid: a version-4-shaped UUID from the generator (idempotency keys).
sub uuid
{
	my @w = map { rnd32() } 1 .. 4;
	$w[1] = ($w[1] & 0xFFFF0FFF) | 0x00004000;
	$w[2] = ($w[2] & 0x3FFFFFFF) | 0x80000000;
	my $h = join '', map { sprintf '%08x', $_ } @w;
	return join '-', substr($h, 0, 8), substr($h, 8, 4), substr($h, 12, 4),
		substr($h, 16, 4), substr($h, 20, 12);
}

# largest_remainder(total, [weights]): integers proportional to the
# weights that add up to total exactly (Hamilton's method, ties to the
# earlier entry).
sub largest_remainder
{
	my ($total, $w) = @_;
	my $sum = 0;
	$sum += $_ for @$w;
	my @q = map { $total * $_ / $sum } @$w;
	my @n = map { int($_) } @q;
	my $left = $total;
	$left -= $_ for @n;
	my @order = sort { ($q[$b] - $n[$b]) <=> ($q[$a] - $n[$a]) || $a <=> $b }
		0 .. $#q;
	$n[$order[$_]]++ for 0 .. $left - 1;
	return @n;
}

# ---------------------------------------------------------------------
# Calendar: days are counted from 1970-01-01 (civil calendar); every
# number in this program is non-negative, so int() is floor().
# ---------------------------------------------------------------------

# day_of(y, m, d): day number of a date.
sub day_of
{
	my ($y, $m, $d) = @_;
	$y -= $m <= 2;
	my $era = int($y / 400);
	my $yoe = $y - $era * 400;
	my $doy = int((153 * ($m + ($m > 2 ? -3 : 9)) + 2) / 5) + $d - 1;
	my $doe = $yoe * 365 + int($yoe / 4) - int($yoe / 100) + $doy;
	return $era * 146097 + $doe - 719468;
}

# date_of(day): 'YYYY-MM-DD' (memoised: the load repeats few days).
my %DATE_OF;
sub date_of
{
	my ($z) = @_;
	return $DATE_OF{$z} //= civil_date($z);
}

sub civil_date
{
	my ($z) = @_;
	$z += 719468;
	my $era = int($z / 146097);
	my $doe = $z - $era * 146097;
	my $yoe = int(($doe - int($doe / 1460) + int($doe / 36524) -
		int($doe / 146096)) / 365);
	my $y = $yoe + $era * 400;
	my $doy = $doe - (365 * $yoe + int($yoe / 4) - int($yoe / 100));
	my $mp = int((5 * $doy + 2) / 153);
	my $d = $doy - int((153 * $mp + 2) / 5) + 1;
	my $m = $mp + ($mp < 10 ? 3 : -9);
	$y++ if $m <= 2;
	return sprintf '%04d-%02d-%02d', $y, $m, $d;
}

sub parse_date { my ($s) = @_; return day_of(split /-/, $s); }

# ts(day, seconds after midnight): a timestamptz literal in Xizang's
# official time (UTC+8), so that the load does not depend on TimeZone.
sub ts
{
	my ($day, $sec) = @_;
	return sprintf '%s %02d:%02d:%02d+08', date_of($day), int($sec / 3600),
		int($sec / 60) % 60, $sec % 60;
}

my $LAUNCH = parse_date('2024-06-05');		# World Environment Day
my $EXTENDED = parse_date('2024-09-01');	# all seven prefectures
my $Q1 = parse_date('2025-01-01');
my $END = parse_date('2025-03-31');

# ---------------------------------------------------------------------
# Where people live: 7th national census (2020) for the prefectures;
# county weights as documented in docs/demo.md.
# ---------------------------------------------------------------------
my @PREFECTURES = (
	# code, English name, 2020 census population, accounts from
	['540100', 'Lhasa', 867_891, $LAUNCH],
	['540200', 'Shigatse', 798_153, $EXTENDED],
	['540300', 'Chamdo', 760_966, $EXTENDED],
	['540400', 'Nyingchi', 238_936, $EXTENDED],
	['540500', 'Shannan', 354_035, $LAUNCH],
	['540600', 'Nagqu', 504_838, $EXTENDED],
	['542500', 'Ngari', 123_281, $EXTENDED],
);

# County weights: census population where docs/demo.md names one (Lhasa
# 2020; Shigatse, Chamdo, Ngari 2010); otherwise the assumption of one
# share per county and three for the prefecture's seat district.
my %COUNTY = (
	540100 => [[540102, 478_275], [540103, 137_451], [540104, 32_318],
		[540121, 50_596], [540122, 47_900], [540123, 29_989],
		[540124, 41_851], [540127, 49_511]],
	540200 => [[540202, 120_374], [540221, 74_930], [540222, 63_503],
		[540223, 50_818], [540224, 47_304], [540225, 49_286],
		[540226, 51_472], [540227, 42_280], [540228, 42_551],
		[540229, 27_826], [540230, 20_522], [540231, 20_319],
		[540232, 22_147], [540233, 12_920], [540234, 14_972],
		[540235, 17_568], [540236, 14_036], [540237, 10_464]],
	540300 => [[540302, 116_500], [540321, 76_026], [540322, 40_434],
		[540323, 49_870], [540324, 69_888], [540325, 56_789],
		[540326, 39_021], [540327, 44_320], [540328, 81_399],
		[540329, 47_491], [540330, 35_767]],
	540400 => [[540402, 3], map { [$_, 1] } 540421, 540423, 540424, 540425,
		540426, 540481],
	540500 => [[540502, 3], map { [$_, 1] } 540521, 540522, 540523, 540524,
		540525, 540526, 540527, 540528, 540529, 540531, 540581],
	540600 => [[540602, 3], map { [$_, 1] } 540621 .. 540630],
	542500 => [[542523, 3], map { [$_, 1] } 542521, 542522, 542524, 542525,
		542526, 542527],
);

# Urban districts (prefecture seats and Lhasa's inner districts), where
# city buses run most and people walk less.
my %URBAN = map { $_ => 1 } qw(540102 540103 540104 540202 540302 540402
	540502 540602 542523);

# ---------------------------------------------------------------------
# Activity kinds: emission factors (grams of CO2e avoided per unit) and
# the programme's daily caps, as documented in docs/demo.md.
# ---------------------------------------------------------------------
my $CAR_G_PER_KM = 204.2;		# private car baseline, per passenger-km
my $BUS_G_PER_KM = 89.1;		# city bus, per passenger-km
my %KIND = (
	bus => {unit => 'km', cap_g => 3000,
		factor => $CAR_G_PER_KM - $BUS_G_PER_KM},
	metro => {unit => 'trip', cap_g => 3000, factor => 515.5},
	cycling => {unit => 'km', cap_g => 2000, factor => $CAR_G_PER_KM},
	walking => {unit => 'km', cap_g => 1000, factor => $CAR_G_PER_KM},
	paperless_banking => {unit => 'document', cap_g => 500, factor => 25},
	afforestation => {unit => 'tree', cap_g => 100_000, factor => 17_900},
);
my @KIND_ORDER = qw(bus metro cycling walking paperless_banking
	afforestation);
my %MIX = (
	urban => [[bus => 46], [metro => 1], [cycling => 10], [walking => 22],
		[paperless_banking => 15], [afforestation => 6]],
	rural => [[bus => 25], [metro => 0.5], [cycling => 6], [walking => 38],
		[paperless_banking => 23.9], [afforestation => 6.6]],
);

# Tree-planting seasons in the programme's life (spring and early summer).
my @PLANTING = ([parse_date('2024-06-05'), parse_date('2024-07-15')],
	[parse_date('2025-03-01'), $END]);

# quantity(kind): the activity's measured quantity in its unit, as the
# platform reports it (km to 0.1, whole trips, documents, trees).
sub quantity
{
	my ($kind) = @_;
	return rint(40, 240) / 10 if $kind eq 'bus';	# two trips, 2-12 km each
	return rint(1, 4) if $kind eq 'metro';
	return rint(15, 120) / 10 if $kind eq 'cycling';
	return rint(10, 80) / 10 if $kind eq 'walking';
	return rint(1, 12) if $kind eq 'paperless_banking';
	return rint(1, 8);								# trees planted
}

# Everyday goods offered for credits (1 credit = 1 kg CO2e).
my @GOODS = (
	['reusable shopping bag', 5], ['drinking water, 12 x 550 ml', 8],
	['toothpaste', 12], ['hand soap', 10], ['tissue, 10 packs', 15],
	['brick tea, 250 g', 30], ['highland barley flour, 1 kg', 20],
	['yak butter, 500 g', 45], ['cooking oil, 1 l', 35],
	['laundry detergent, 2 kg', 25], ['bus card top-up, 10 yuan', 40],
	['mobile data top-up, 10 yuan', 40], ['rice, 2.5 kg', 28],
);

# ---------------------------------------------------------------------
# Accounts.
# ---------------------------------------------------------------------
my @pop = map { $_->[2] } @PREFECTURES;
my @n_pref = largest_remainder($N_ACCOUNTS, \@pop);
my @n_pref_q1 = largest_remainder($N_NEW_Q1, \@pop);

my @accounts;		# {region, opened (day), sec, urban}
for my $i (0 .. $#PREFECTURES)
{
	my ($code, undef, undef, $from) = @{$PREFECTURES[$i]};
	my @counties = @{$COUNTY{$code}};
	my @w = map { $_->[1] } @counties;
	my @before = largest_remainder($n_pref[$i] - $n_pref_q1[$i], \@w);
	my @during = largest_remainder($n_pref_q1[$i], \@w);
	for my $c (0 .. $#counties)
	{
		my $county = $counties[$c][0];
		# Openings grow over the year: density rising linearly.
		for (1 .. $before[$c])
		{
			my $span = $Q1 - $from;
			my $d = $from + int($span * sqrt(rnd()));
			push @accounts, {region => $county, opened => $d,
				sec => rint(9 * 3600, 18 * 3600), urban => $URBAN{$county}};
		}
		for (1 .. $during[$c])
		{
			push @accounts, {region => $county,
				opened => $Q1 + int(($END - $Q1 + 1) * rnd()),
				sec => rint(9 * 3600, 18 * 3600), urban => $URBAN{$county}};
		}
	}
}
@accounts = sort { $a->{opened} <=> $b->{opened} || $a->{sec} <=> $b->{sec}
	|| $a->{region} <=> $b->{region} } @accounts;
for my $i (0 .. $#accounts)
{
	$accounts[$i]{no} = sprintf 'XZ%08d', $i + 1;
	$accounts[$i]{holder} = sprintf 'h%08x%08x', rnd32(), rnd32();
}

# ---------------------------------------------------------------------
# Activities: how many per account (propensity x days open), then the
# day, kind and quantity of each, at most one of a kind per account a day.
# ---------------------------------------------------------------------
my @weight = map {
	my $p = pick([[0.25, 30], [1, 45], [3, 20], [8, 5]]);
	$p * ($END - $_->{opened} + 1)
} @accounts;
my @n_act = largest_remainder($N_ACTIVITIES, \@weight);

my @activities;		# [account index, day, sec, kind, quantity, grams, credit_g]
for my $ai (0 .. $#accounts)
{
	my $acc = $accounts[$ai];
	my %seen;
	my $first = $acc->{opened} + 1;
	$first = $acc->{opened} if $first > $END;
	for (1 .. $n_act[$ai])
	{
		my ($day, $kind);
		for my $try (1 .. 50)
		{
			$kind = pick($MIX{$acc->{urban} ? 'urban' : 'rural'});
			$day = $first + int(($END - $first + 1) * rnd());
			if ($kind eq 'afforestation')
			{
				my @open = grep { $_->[1] >= $first } @PLANTING;
				next unless @open;
				my $p = $open[rint(0, $#open)];
				my $lo = $p->[0] > $first ? $p->[0] : $first;
				$day = $lo + int(($p->[1] - $lo + 1) * rnd());
			}
			last unless $seen{"$day/$kind"};
			$kind = undef;
		}
		# A very busy account may run out of free (day, kind) pairs: it then
		# logs paperless banking on the first free day after opening.
		unless (defined $kind)
		{
			$kind = 'paperless_banking';
			$day = $first;
			$day++ while $seen{"$day/$kind"};
			die "account $acc->{no}: no free day" if $day > $END;
		}
		$seen{"$day/$kind"} = 1;
		my $q = quantity($kind);
		my $grams = int($q * $KIND{$kind}{factor} + 0.5);
		my $credit_g = $grams < $KIND{$kind}{cap_g} ? $grams
			: $KIND{$kind}{cap_g};
		my $sec = rint(10 * 3600, 20 * 3600);
		$sec = $acc->{sec} + rint(60, 3600)
			if $day == $acc->{opened} && $sec <= $acc->{sec};
		push @activities, [$ai, $day, $sec, $kind, $q, $grams, $credit_g];
	}
}

# ---------------------------------------------------------------------
# Redemptions: planned per account in time order, each affordable from
# the credits earned before it (1 credit = 1,000 g), so that the ledger's
# balance check passes; then trimmed to the exact count, and a few goods
# returned (reversals).
# ---------------------------------------------------------------------
my %by_account;
push @{$by_account{$_->[0]}}, $_ for @activities;
my @redemptions;	# {account, day, sec, item, credits, reverses}
for my $ai (0 .. $#accounts)
{
	my $acts = $by_account{$ai} or next;
	my @evs = sort { $a->[1] <=> $b->[1] || $a->[2] <=> $b->[2] } @$acts;
	my $n_try = int(@evs / 6) + (rnd() < 0.5 ? 1 : 0);
	next unless $n_try;
	my @times = sort { $a->[0] <=> $b->[0] || $a->[1] <=> $b->[1] }
		map { [$evs[0][1] + int(($END - $evs[0][1] + 1) * rnd()),
			rint(8 * 3600, 22 * 3600)] } 1 .. $n_try;
	my $spent = 0;
	for my $t (@times)
	{
		my $earned = 0;
		for my $e (@evs)
		{
			last if $e->[1] > $t->[0] ||
				($e->[1] == $t->[0] && $e->[2] >= $t->[1]);
			$earned += $e->[6];
		}
		my $avail = int(($earned - $spent) / 1000);
		my @fits = grep { $_->[1] <= $avail } @GOODS;
		next unless @fits;
		my $g = $fits[rint(0, $#fits)];
		$spent += $g->[1] * 1000;
		push @redemptions, {account => $ai, day => $t->[0], sec => $t->[1],
			item => $g->[0], credits => $g->[1]};
	}
}
my $plain = $N_REDEMPTIONS - $N_REVERSALS;
die sprintf("only %d redemptions are affordable, %d wanted\n",
	scalar @redemptions, $plain) if @redemptions < $plain;
# Dropping a redemption never makes a later one unaffordable.
while (@redemptions > $plain)
{
	splice @redemptions, rint(0, $#redemptions), 1;
}
my @returned;
my %chosen;
while (@returned < $N_REVERSALS)
{
	my $i = rint(0, $#redemptions);
	my $r = $redemptions[$i];
	next if $chosen{$i} || $r->{day} + 7 > $END;
	$chosen{$i} = 1;
	push @returned, {account => $r->{account}, day => $r->{day} + rint(1, 7),
		sec => rint(9 * 3600, 20 * 3600), item => "return: $r->{item}",
		credits => $r->{credits}, reverses => $r};
}
push @redemptions, @returned;
$_->{request_id} = uuid() for @redemptions;
$_->[7] = uuid() for @activities;

# ---------------------------------------------------------------------
# Borrower codes: Unified Social Credit Codes (GB 32100-2015) with both
# check characters right: the embedded organisation code's (GB 11714,
# MOD 11) and the code's own (MOD 31).
# ---------------------------------------------------------------------
my $USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
my @USCC_W = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28);

# uscc(region): a valid code for an enterprise registered in that county.
sub uscc
{
	my ($region) = @_;
	my @org = map { rint(0, 9) } 1 .. 8;
	my @ow = (3, 7, 9, 10, 5, 8, 4, 2);
	my $s = 0;
	$s += $org[$_] * $ow[$_] for 0 .. 7;
	my $c9 = 11 - $s % 11;
	my $code = '91' . $region . join('', @org) .
		($c9 == 10 ? 'X' : $c9 == 11 ? '0' : $c9);
	my $t = 0;
	$t += index($USCC_CHARS, substr($code, $_, 1)) * $USCC_W[$_] for 0 .. 16;
	return $code . substr($USCC_CHARS, (31 - $t % 31) % 31, 1);
}

# ---------------------------------------------------------------------
# Green loans.  Amounts are in fen.  Each prefecture's balance at
# 2024-03-31 and 2025-03-31 is fixed first; the loans and repayments are
# then drawn so that the ledger's own arithmetic lands on them exactly.
# ---------------------------------------------------------------------
my $Y0 = parse_date('2024-03-31');
my %GREEN_SHARE_2025 = (540100 => 36, 540200 => 13, 540300 => 20,
	540400 => 8, 540500 => 15, 540600 => 5, 542500 => 3);
my %GREEN_SHARE_2024 = (540100 => 35, 540200 => 13, 540300 => 22,
	540400 => 8, 540500 => 14, 540600 => 5, 542500 => 3);
# Green loans as a share of all loans, per prefecture (assumption).
my %ALL_SHARE = (540100 => 27, 540200 => 31, 540300 => 38, 540400 => 33,
	540500 => 34, 540600 => 21, 542500 => 24);
my %N_OLD = (540100 => 90, 540200 => 40, 540300 => 35, 540400 => 30,
	540500 => 45, 540600 => 20, 542500 => 15);
my %N_NEW = (540100 => 60, 540200 => 25, 540300 => 20, 540400 => 18,
	540500 => 30, 540600 => 12, 542500 => 8);
my @pcodes = map { $_->[0] } @PREFECTURES;
my %B1;
@B1{@pcodes} = largest_remainder($GREEN_BALANCE_2025,
	[map { $GREEN_SHARE_2025{$_} } @pcodes]);
my %B0;
@B0{@pcodes} = largest_remainder($GREEN_BALANCE_2024,
	[map { $GREEN_SHARE_2024{$_} } @pcodes]);
my %T1;
@T1{@pcodes} = largest_remainder($ALL_LOANS_2025,
	[map { $B1{$_} / $ALL_SHARE{$_} } @pcodes]);
my %T0;
@T0{@pcodes} = largest_remainder($ALL_LOANS_2024,
	[map { $B0{$_} / $ALL_SHARE{$_} } @pcodes]);

my @CATEGORIES = (
	['clean energy', 30], ['energy saving and environmental protection', 15],
	['infrastructure green upgrade', 30], ['ecological environment', 15],
	['clean production', 5], ['green services', 5],
);
# Carbon-reduction loans of 2025 Q1 (the central bank facility), pilots in
# Lhasa and Shannan: county, field, the project (for docs/demo.md; the
# ledger keeps no description), principal (yuan), attributed annual
# reduction (t), project investment / principal as a fraction (numerator,
# denominator).
# 9.5 billion yuan, 242,900 t.
my @CRL = (
	['540102', 'clean energy', 'photovoltaic power station', 1_850_000_000, 52_400, 5, 4],
	['540103', 'clean energy', 'energy storage station', 1_200_000_000, 21_300, 8, 5],
	['540127', 'energy saving and environmental protection', 'solar district heating', 750_000_000, 15_800, 2, 1],
	['540122', 'clean energy', 'photovoltaic power station', 600_000_000, 16_200, 5, 4],
	['540502', 'clean energy', 'photovoltaic and storage plant', 2_100_000_000, 58_300, 3, 2],
	['540528', 'clean energy', 'hydropower station', 1_500_000_000, 44_100, 5, 2],
	['540531', 'clean energy', 'photovoltaic power station', 900_000_000, 24_900, 5, 4],
	['540522', 'carbon-reduction technology', 'energy storage station', 600_000_000, 9_900, 8, 5],
);

my @loans;			# hashes, see emit below
my @repayments;		# [loan, day, fen]
my $loan_seq = 0;

# new_loan(prefecture, county, issue day, maturity day, principal fen,
# category, extra fields): appends a loan and returns it.
sub new_loan
{
	my ($p, $county, $issue, $maturity, $principal, $cat, %x) = @_;
	my $l = {no => sprintf('GL%s%05d', substr($p, 0, 4), ++$loan_seq),
		uscc => uscc($county), region => $county, issue => $issue,
		maturity => $maturity, principal => $principal, category => $cat,
		rate => sprintf('%.2f', rint(295, 455) / 100),
		%x};
	push @loans, $l;
	return $l;
}

# repay(loan, total fen, first day, last day, count): spreads a repayment
# total over up to count instalments in the window.
sub repay
{
	my ($l, $total, $lo, $hi, $count) = @_;
	return if $total <= 0;
	$lo = $hi if $lo > $hi;
	my @days = sort { $a <=> $b } map { $lo + int(($hi - $lo + 1) * rnd()) }
		1 .. $count;
	my @parts = largest_remainder($total, [map { 1 + rnd() } @days]);
	push @repayments, [$l, $days[$_], $parts[$_]] for grep { $parts[$_] > 0 }
		0 .. $#days;
}

# round_principal(fen): to the 10,000 yuan, as loans are granted.
sub round_principal
{
	my ($fen) = @_;
	my $r = int($fen / 1_000_000 + 0.5) * 1_000_000;
	return $r > 0 ? $r : 1_000_000;
}

# county_of(prefecture): a county of the prefecture, seat more often.
sub county_of
{
	my ($p) = @_;
	return pick([map { [$_->[0], $_->[1] > 10 ? sqrt($_->[1]) : 100 * $_->[1]] }
		@{$COUNTY{$p}}]);
}

# county_of_on(prefecture, day): a county of the prefecture, by the code
# it had on that day: Mainling (540481 米林市) and Cona (540581 错那市)
# became cities in 2023 and were 540422 米林县 and 540530 错那县 before.
my %FORMER = (540481 => '540422', 540581 => '540530');
sub county_of_on
{
	my ($p, $day) = @_;
	my $c = county_of($p);
	return $FORMER{$c} && $day < parse_date('2023-01-01') ? $FORMER{$c} : $c;
}

for my $p (@pcodes)
{
	# Loans repaid in full before 2024-03-31 (no balance, history only).
	for (1 .. int($N_OLD{$p} / 3))
	{
		my $issue = parse_date('2018-01-01') + rint(0, 1200);
		my $mat = $issue + rint(365, 1800);
		$mat = $Y0 - rint(1, 60) if $mat >= $Y0;
		my $cat = pick(\@CATEGORIES);
		my $l = new_loan($p, county_of_on($p, $issue), $issue, $mat,
			round_principal(10**8 * rint(2, 400)), $cat);
		repay($l, $l->{principal}, $issue + 30, $mat, rint(1, 4));
	}

	# Loans outstanding at 2024-03-31: principals, repayments before it,
	# then repayments in the year to 2025-03-31.
	# Two published syndicated loans to hydropower stations (docs/demo.md).
	my @old;
	if ($p eq '540300')
	{
		push @old, new_loan($p, '540302', parse_date('2023-08-15'),
			parse_date('2043-08-14'), 14_400_000_000_00, 'clean energy');
	}
	if ($p eq '540500')
	{
		push @old, new_loan($p, '540528', parse_date('2022-06-20'),
			parse_date('2040-06-19'), 2_390_000_000_00, 'clean energy');
	}
	my $fixed = 0;
	$fixed += $_->{principal} for @old;
	my $rest = $B0{$p} - $fixed;
	my @w = map { exp(2.2 * rnd()) } 1 .. $N_OLD{$p};
	my $wsum = 0;
	$wsum += $_ for @w;
	my @drawn;
	for my $k (0 .. $#w)
	{
		my $issue = parse_date('2019-01-01') + rint(0, $Y0 - parse_date('2019-01-01') - 1);
		my $county = county_of_on($p, $issue);
		my $cat = pick(\@CATEGORIES);
		my $target = $rest * $w[$k] / $wsum;
		my $l = new_loan($p, $county, $issue,
			parse_date('2025-06-30') + rint(0, 5000),
			round_principal($target * (1 + 0.4 * rnd())), $cat);
		push @drawn, $l;
	}
	# Repaid before 2024-03-31 = principal - outstanding; the outstanding
	# amounts are the principals scaled to the prefecture's balance.
	my $psum = 0;
	$psum += $_->{principal} for @drawn;
	my @o = largest_remainder($rest, [map { $_->{principal} } @drawn]);
	die "prefecture $p: old loans too small" if $psum < $rest;
	for my $k (0 .. $#drawn)
	{
		my $l = $drawn[$k];
		repay($l, $l->{principal} - $o[$k], $l->{issue} + 30, $Y0 - 1,
			rint(1, 3));
		$l->{out0} = $o[$k];
	}
	$_->{out0} = $_->{principal} for @old;
	push @old, @drawn;

	# Repayments in the year: up to 12 % of the outstanding amount.
	my $R = 0;
	for my $l (@old)
	{
		my $amt = int($l->{out0} * 0.12 * rnd());
		$amt = 0 if rnd() < 0.3;
		repay($l, $amt, $Y0 + 1, $END - 1, rint(1, 4));
		$R += $amt;
	}

	# Carbon-reduction loans of Q1 2025 (not repaid yet).
	my $crl = 0;
	for my $c (grep { substr($_->[0], 0, 4) eq substr($p, 0, 4) } @CRL)
	{
		my ($county, $cat, undef, $yuan, $t, $num, $den) = @$c;
		new_loan($p, $county, $Q1 + rint(3, 85), parse_date('2032-01-01') +
			rint(0, 2900), $yuan * 100, $cat,
			carbon_reduction => 1,
			investment => $yuan * 100 / $den * $num,
			reduction_g => $t * $num / $den * 1_000_000);
		$crl += $yuan * 100;
	}

	# Other loans of the year: their net amount closes the balance.
	my $net = $B1{$p} - $B0{$p} + $R - $crl;
	die "prefecture $p: negative new lending" if $net <= 0;
	my @nw = map { exp(2.0 * rnd()) } 1 .. $N_NEW{$p};
	my $nsum = 0;
	$nsum += $_ for @nw;
	my @new;
	for my $k (0 .. $#nw)
	{
		my $cat = pick(\@CATEGORIES);
		my $issue = $Y0 + 1 + rint(0, $END - $Y0 - 3);
		push @new, new_loan($p, county_of($p), $issue,
			parse_date('2026-01-01') + rint(0, 5000),
			round_principal($net * 1.02 * $nw[$k] / $nsum), $cat);
	}
	my $drawn_new = 0;
	$drawn_new += $_->{principal} for @new;
	my $excess = $drawn_new - $net;
	if ($excess < 0)
	{
		# Top up the largest loan of the year (its principal need not be
		# round).
		my ($big) = sort { $b->{principal} <=> $a->{principal} } @new;
		$big->{principal} -= $excess;
	}
	else
	{
		# The excess has been repaid already, by the loans issued first.
		for my $l (sort { $a->{issue} <=> $b->{issue} } @new)
		{
			last if $excess == 0;
			my $amt = int($l->{principal} / 4);
			$amt = $excess if $amt > $excess;
			repay($l, $amt, $l->{issue} + 30, $END - 1, rint(1, 2));
			$excess -= $amt;
		}
		die "prefecture $p: cannot place repayments" if $excess;
	}
}

# Project figures of ordinary green loans in the fields that report them:
# annual reduction and total investment (the ledger attributes a share).
for my $l (grep { !$_->{carbon_reduction} } @loans)
{
	$l->{investment} = int($l->{principal} * (10 + rint(0, 15)) / 1000) * 100;
	$l->{investment} = $l->{principal} if $l->{investment} < $l->{principal};
	next unless $l->{category} =~ /^(clean energy|energy saving)/;
	# 5 to 60 t of CO2e a year per million yuan invested (assumption).
	$l->{reduction_g} = int($l->{investment} / 100_000_000 * rint(5, 60)) *
		1_000_000;
	delete $l->{reduction_g} unless $l->{reduction_g};
}
@loans = sort { $a->{issue} <=> $b->{issue} || $a->{no} cmp $b->{no} } @loans;
@repayments = sort { $a->[1] <=> $b->[1] || $a->[0]{no} cmp $b->[0]{no} }
	@repayments;

# ---------------------------------------------------------------------
# Output: psql scripts.  Rows go in time order, month by month, so that
# each redemption meets the balance it was planned against; COPY fires the
# ledger's triggers and the audit trail exactly as INSERT does.  With
# --out DIR the set is split for a parallel load: setup.sql (programme and
# accounts), session-K.sql for K = 1..--sessions (the activities and
# redemptions of every Nth account: an account's rows stay in one session,
# in order), and loans.sql; without it, all of them go to standard output
# one after the other.
# ---------------------------------------------------------------------

# kg(grams): a tco2e literal in kg (exact).
sub kg { my ($g) = @_; return sprintf '%d.%03d kg', int($g / 1000), $g % 1000; }

# yuan(fen): a numeric literal in yuan.
sub yuan { my ($f) = @_; return sprintf '%d.%02d', int($f / 100), $f % 100; }

my $OUT;		# the file handle being written

# copy(table, [columns], [rows of values]): one COPY block.
sub copy
{
	my ($table, $cols, $rows) = @_;
	return unless @$rows;
	print $OUT "COPY $table (", join(', ', @$cols), ") FROM stdin;\n";
	for my $r (@$rows)
	{
		print $OUT join("\t", map { defined $_ ? $_ : '\N' } @$r), "\n";
	}
	print $OUT "\\.\n";
}

sub month_of { my ($day) = @_; return substr(date_of($day), 0, 7); }

sub thousands
{
	my ($n) = @_;
	1 while $n =~ s/^(\d+)(\d{3})/$1,$2/;
	return $n;
}

# open_part(name): starts writing one script (standard output without
# --out).
sub open_part
{
	my ($name) = @_;
	if (defined $out_dir)
	{
		open $OUT, '>:encoding(UTF-8)', "$out_dir/$name.sql"
			or die "$out_dir/$name.sql: $!\n";
	}
	else
	{
		$OUT = \*STDOUT;
	}
	print $OUT <<"SQL";
-- Xizang reference data set of the carbon_ledger demo ($name), generated
-- by tools/demo/generate.pl (deterministic; see docs/demo.md).
\\set ON_ERROR_STOP on
SET client_min_messages = warning;
SQL
}

sub close_part
{
	print $OUT "RESET client_min_messages;\n";
	close $OUT or die "write: $!\n" if defined $out_dir;
}

# The programme, its rules and the accounts, in order of opening.
open_part('setup');
print $OUT "\\echo '   programme XZ-PCA: 1,000 credits per tCO2e, credits valid 36 months'\n";
print $OUT "INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime, time_zone)\n";
print $OUT "VALUES ('XZ-PCA', 'Xizang personal carbon account', 1000, interval '36 months', 'Asia/Shanghai');\n";
copy('carbon_ledger.programme_activity_cap', [qw(programme_id kind daily_cap)],
	[map { ['XZ-PCA', $_, kg($KIND{$_}{cap_g})] } @KIND_ORDER]);
printf $OUT "\\echo '   accounts: %s (%s opened in 2025 Q1)'\n",
	thousands($N_ACCOUNTS), thousands($N_NEW_Q1);
copy('carbon_ledger.account',
	[qw(account_no programme_id holder_ref region_code opened_at)],
	[map { [$_->{no}, 'XZ-PCA', $_->{holder}, $_->{region},
		ts($_->{opened}, $_->{sec})] } @accounts]);
close_part();

# Activities and redemptions, per loading session, month by month.
for my $k (1 .. $sessions)
{
	my $mine = sub { $_[0] % $sessions == $k - 1 };
	my %acts_by_month;
	push @{$acts_by_month{month_of($_->[1])}}, $_
		for grep { $mine->($_->[0]) } @activities;
	my %red_by_month;
	push @{$red_by_month{month_of($_->{day})}}, $_
		for grep { $mine->($_->{account}) } @redemptions;
	my $total = 0;
	$total += @$_ for values %acts_by_month, values %red_by_month;
	my $tag = $sessions > 1 ? "session $k of $sessions: " : '';
	my $loaded = 0;
	open_part("session-$k");
	for my $m (sort keys %acts_by_month)
	{
		my @a = sort { $a->[1] <=> $b->[1] || $a->[2] <=> $b->[2] ||
			$a->[0] <=> $b->[0] } @{$acts_by_month{$m}};
		my @r = sort { $a->{day} <=> $b->{day} || $a->{sec} <=> $b->{sec} ||
			$a->{account} <=> $b->{account} } @{$red_by_month{$m} || []};
		$loaded += @a + @r;
		printf $OUT "\\echo '   %s%s: %7s activities, %6s redemptions  (%s of %s)'\n",
			$tag, $m, thousands(scalar @a), thousands(scalar @r),
			thousands($loaded), thousands($total);
		copy('carbon_ledger.activity',
			[qw(account_no kind reduction occurred_at request_id)],
			[map { [$accounts[$_->[0]]{no}, $_->[3], kg($_->[5]),
				ts($_->[1], $_->[2]), $_->[7]] } @a]);
		copy('carbon_ledger.redemption',
			[qw(account_no credits item redeemed_at request_id)],
			[map { [$accounts[$_->{account}]{no}, $_->{credits}, $_->{item},
				ts($_->{day}, $_->{sec}), $_->{request_id}] }
				grep { !$_->{reverses} } @r]);

		# Reversals name the redemption they give back by its id, which
		# the database assigned: look it up by the original request_id.
		my @rev = grep { $_->{reverses} } @r;
		next unless @rev;
		print $OUT "INSERT INTO carbon_ledger.redemption (account_no, credits, item, redeemed_at, request_id, reverses)\n";
		print $OUT "SELECT v.account_no, v.credits, v.item, v.at::timestamptz, v.request_id, o.redemption_id\n";
		print $OUT "FROM (VALUES\n";
		print $OUT join(",\n", map { sprintf "\t('%s', %d, '%s', '%s', '%s', '%s')",
			$accounts[$_->{account}]{no}, $_->{credits}, $_->{item},
			ts($_->{day}, $_->{sec}), $_->{request_id},
			$_->{reverses}{request_id} } @rev), "\n";
		print $OUT ") AS v(account_no, credits, item, at, request_id, original)\n";
		print $OUT "JOIN carbon_ledger.redemption o ON o.request_id = v.original\n";
		print $OUT "ORDER BY v.at;\n";
	}
	close_part();
}

# Green loans, repayments and the bank's total loan balances per
# prefecture (the denominator of the green share).
open_part('loans');
printf $OUT "\\echo '   green loans: %d loans, %d repayments'\n", scalar @loans,
	scalar @repayments;
copy('carbon_ledger.green_loan',
	[qw(loan_no borrower_uscc region_code green_category principal
		issue_date maturity_date rate project_investment
		project_annual_reduction carbon_reduction_loan
		carbon_reduction_field)],
	[map { [$_->{no}, $_->{uscc}, $_->{region}, $_->{category},
		yuan($_->{principal}), date_of($_->{issue}),
		date_of($_->{maturity}), $_->{rate}, yuan($_->{investment}),
		defined $_->{reduction_g} ? kg($_->{reduction_g}) : undef,
		$_->{carbon_reduction} ? 't' : 'f',
		$_->{carbon_reduction} ? $_->{category} : undef] } @loans]);
copy('carbon_ledger.loan_repayment', [qw(loan_no repaid_on amount)],
	[map { [$_->[0]{no}, date_of($_->[1]), yuan($_->[2])] } @repayments]);
print $OUT "\\echo '   total loan balances per prefecture at 2024-03-31 and 2025-03-31'\n";
copy('carbon_ledger.loan_book', [qw(region_code as_of total_loan_balance)],
	[(map { [$_, '2024-03-31', yuan($T0{$_})] } @pcodes),
	 (map { [$_, '2025-03-31', yuan($T1{$_})] } @pcodes)]);
close_part();

# A summary for whoever runs the generator.
my $total_g = 0;
$total_g += $_->[5] for @activities;
my %kinds;
$kinds{$_->[3]}++ for @activities;
printf STDERR "accounts %d (%d opened in 2025 Q1), activities %d, " .
	"redemptions %d (%d reversals),\nreduction %s t, loans %d, " .
	"repayments %d; activities by kind:\n",
	scalar @accounts, scalar(grep { $_->{opened} >= $Q1 } @accounts),
	scalar @activities, scalar @redemptions, $N_REVERSALS,
	sprintf('%.6f', $total_g / 1e6), scalar @loans, scalar @repayments;
print STDERR join(', ', map { "$_ $kinds{$_}" } sort keys %kinds), "\n";
