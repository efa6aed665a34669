#!/usr/bin/python3
"""Turns the public-source rows of data/demo/public_so/ (an unchanged copy of
../shared/data/public_so, compiled on 2026-12-03) into the demo register:

  data/demo/publieke-bronnen/publieke-bronnen.csv   the spreadsheet (docs/sheet_import.md):
      one row per party and source, plus rows without a party for the sources of
      the agreement itself; imported with `somon import sheet`
  data/demo/publieke-bronnen/publieke-bronnen.json  somon/1: the register notice,
      the associations (organisations), the one dated regiegebied and the outreach
      log of the Halle-Vilvoorde statement; imported before the sheet

Run by hand (`/usr/bin/python3 data/demo/public_so.py`), standard library only;
the outputs are committed and tests/cli/test_demo_sources.sh checks that a new
run gives the same bytes. Every judgement (which rows are one agreement, which
date goes where, which rows belong to a seed agreement) is in the tables below
and explained in data/demo/README.md; the script refuses to write anything when
a row is left unassigned, a stated date conflicts, or a NIS code does not match
its name.

Options: --source DIR (the public_so folder; default data/demo/public_so),
--out DIR (default data/demo/publieke-bronnen), --check (write nothing; exit 1
when the committed files differ from what the script makes).
"""
import argparse
import csv
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
READ_ON = "2026-12-03"  # the compile date of public_so/README.md
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Rows of public_so that are about an agreement the seeds already hold
# (data/demo/agreement*.json). They create nothing: the seeds stay as they are.
# Key: agreement_name, or the municipality column for an association row.
SEED_ROWS = {
    "Samenwerkingsovereenkomst lokale besturen van KINA en VDAB": "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020",
    "vernieuwde samenwerkingsovereenkomst Stad Mechelen - VDAB": "SO-MECHELEN-2021",
    "(regio Scheldeland)": "SO-SCHELDELAND-2021",
}

# The association-like parties: an organisation per parenthesised row (members
# not named), and the organisations a quote names as a party beside municipalities.
ORGANISATIONS = [
    ("PB-DVV-MIDWEST", "DVV Midwest", "association"),
    ("PB-EH-OOSTENDE", "Economisch Huis Oostende", "other"),
    ("PB-PERSPECTIEF", "Projectvereniging Perspectief", "association"),
    ("PB-PWA-BILZEN", "PWA Bilzen (plaatselijk werkgelegenheidsagentschap)", "other"),
    ("PB-PWA-HOESELT", "PWA Hoeselt (plaatselijk werkgelegenheidsagentschap)", "other"),
    ("PB-REGIO-LEIE-SCHELDE", "Regio Leie & Schelde", "association"),
    ("PB-REGIO-MAASLAND", "Regio Maasland", "association"),
    ("PB-REGIO-MEETJESLAND", "Regio Meetjesland", "association"),
    ("PB-REGIO-WAASLAND", "Regio Waasland", "association"),
]

BRON = "Bronnen: de lijst 'Bronnen' van de overeenkomst en van elke partij (gelezen op 03/12/2026); samengesteld uit publieke bronnen, onvolledig (data/demo/README.md)."

# One entry per agreement made from public_so. Fields:
#   keys        the agreement_name values (or, for association rows, the
#               municipality column) whose rows make this agreement
#   title       the title: the page's own words where a quote gives them
#   title_url   the source whose quote gives the title: also a source of the
#               agreement (besides every row that states a start or an end)
#   start_as    what a row's start column is: "begin" (default) or "signed_on"
#               (the day of signing, where no end is stated: see README)
#   signed_too  the start column is also the day of signing (the row says so)
#   orgs        organisation parties: (organisation id, key of the row whose
#               source names it); association rows give their own
#   partial     stated texts that are not days (kept in the notes)
#   cycle       an agreement of the 2020-2025 model (the completeness count)
#   province    the directorate of an agreement without municipality parties
#               (else the province of its municipalities, which must agree)
AGREEMENTS = [
    # ---------------------------------------------------------------- Antwerpen
    dict(id="PB-ANTWERPEN-STAD", kind="centrumstad", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst tussen VDAB en Stad Antwerpen voor een coherent en inclusief werkgelegenheidsbeleid"],
         title="Samenwerkingsovereenkomst tussen VDAB en Stad Antwerpen voor een coherent en inclusief werkgelegenheidsbeleid",
         title_url="https://5dok.net/document/yevno3k7-samenwerkingsovereenkomst-tussen-vdab-stad-antwerpen-coherent-inclusief-werkgelegenheidsbeleid.html",
         notes="De bron is de tekst van de overeenkomst (een kopie op 5dok.net, daar met het label 2022) met de ondertekenaars Wim Adriaens, Bjorn Cuyt en Bart De Wever. "
               "Status 'ondertekend' omdat de tekst de ondertekenaars noemt. Geen begin-, eind- of ondertekeningsdatum vermeld: het label 2022 van 5dok.net is geen datum van de overeenkomst. "
               "Zonder begindatum telt de overeenkomst op geen enkele dag mee (ondertekend, begindatum onbekend)."),
    dict(id="PB-HEIST-BERLAAR-NIJLEN", kind="cluster", status="ondertekend", cycle=True,
         keys=["SO Heist-op-den-Berg, Berlaar, Nijlen en VDAB"],
         title="Samenwerkingsovereenkomst VDAB Heist-op-den-Berg, Berlaar, Nijlen",
         title_url="https://www.hln.be/heist-op-den-berg/berlaar-nijlen-en-heist-op-den-berg-tekenen-samenwerkingsovereenkomst-met-vdab~a56a3854/",
         notes="Titel: het onderschrift van de foto in het HLN-artikel. Het artikel (datum niet in het uittreksel; het noemt cijfers van februari 2022, het adres zegt 'tekenen') meldt dat de drie gemeenten de overeenkomst tekenen: status 'ondertekend'. "
               "Geen begin-, eind- of ondertekeningsdatum vermeld; februari 2022 is de maand van de cijfers, geen datum van de overeenkomst."),
    dict(id="PB-BODUKAP-2022", kind="cluster", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst Bonheiden, Duffel, Sint-Katelijne-Waver, Putte en VDAB 'Samen sterk voor lokaal werk in 2022 - 2025'",
               "SO Bonheiden-Duffel-Sint-Katelijne-Waver-Putte (Bodukap) en VDAB"],
         title="Samenwerkingsovereenkomst tussen het lokaal bestuur van Bonheiden, Duffel, Sint-Katelijne-Waver, Putte en VDAB 'Samen sterk voor lokaal werk in 2022 - 2025'",
         title_url="https://bonheiden-echo.cipalschaubroeck.be/raadpleegomgeving/zittingen/52823ae4-803b-4c9e-a976-b19b2cfdfa36/agendapunten/23627ffb-33e4-48b5-9905-3c30100aebf0",
         extra_agreement_urls=["https://www.vdab.be/persberichten/persberichten-antwerpen/bonheiden-duffel-sint-katelijne-waver-putte-en-vdab-gaan"],
         notes="Twee bronnen over dezelfde overeenkomst ('Bodukap'): het agendapunt van de gemeenteraad van Bonheiden (goedgekeurd op 29/06/2022, de titel) en het persbericht van VDAB (ongedateerd in het uittreksel: de vier lokale besturen hebben de overeenkomst goedgekeurd). "
               "Status 'ondertekend' omdat de bronnen zeggen dat ze goedgekeurd is; geen ondertekeningsdatum vermeld. "
               "'2022 - 2025' in de titel is geen begin- of einddatum: beide blijven leeg, de overeenkomst telt op geen enkele dag mee. "
               "Alleen de goedkeuring van Bonheiden is bekend; die van Duffel, Sint-Katelijne-Waver en Putte werd niet gevonden."),
    dict(id="PB-KAPELLEN-2021", kind="cluster", status="ondertekend", cycle=True,
         keys=["SO VDAB - Kapellen, Brasschaat, Malle, Schoten, Stabroek, Wuustwezel"],
         title="Samenwerkingsovereenkomst VDAB - Kapellen, Brasschaat, Malle, Schoten, Stabroek, Wuustwezel",
         title_url="https://www.kapellen.be/kapellen-helpt-mensen-aan-het-werk",
         notes="Titel: somons omschrijving met de zes gemeenten die de bron noemt. Het nieuwsbericht van Kapellen (gepubliceerd op 24/06/2021) meldt de samenwerking met VDAB en de vijf andere lokale besturen: status 'ondertekend'. "
               "24/06/2021 is de publicatiedatum van het bericht, geen begin- of ondertekeningsdatum: beide blijven leeg."),
    dict(id="PB-ANTWERPEN-2017", kind="cluster", status="ondertekend", cycle=False,
         keys=["SO VDAB - 13 gemeenten/OCMW rond Antwerpen (2017, earlier cycle)",
               "SO VDAB - 13 gemeenten/OCMW rond Antwerpen (2017, earlier cycle; OCMW only)",
               "Samenwerkingsovereenkomst met VDAB in functie van het lokaal arbeidsmarkt-, werkgelegenheids- en welzijnsbeleid"],
         title="Samenwerkingsovereenkomst VDAB met dertien gemeenten en OCMW's rond Antwerpen (2017)",
         title_url="http://www.gva.be/cnt/dmf20170615_02926658/vdab-in-zee-met-dertien-antwerpse-gemeenten-ocmw-s-om-inwoners-aan-werk-te-helpen",
         start_as="signed_on",
         notes="De ronde van 2017, vóór de cyclus 2020-2025. Titel: somons omschrijving; Gazet van Antwerpen (15/06/2017) noemt de gemeenten en OCMW's van Boechout, Borsbeek, Edegem, Hove, Lint, Kontich, Mortsel, Wijnegem, Wommelgem, Zandhoven en Zoersel en de OCMW's van Ranst en Schilde (dertien). "
               "Ranst en Schilde tekenden alleen met hun OCMW; ze staan hier als gemeente (NIS-code), omdat gemeente en OCMW sinds 2019 één lokaal bestuur zijn. "
               "15/06/2017 is de dag van de ondertekening (een donderdag, de dag van het artikel) en staat als ondertekeningsdatum, niet als begindatum: er is geen einddatum vermeld, en een begin zonder einde zou deze gemeenten tot vandaag als gedekt tellen, wat geen bron zegt. Zonder begindatum telt de overeenkomst op geen enkele dag mee. "
               "Edegem: de gemeenteraad keurde op 27/03/2017 een 'samenwerkingsovereenkomst met VDAB in functie van het lokaal arbeidsmarkt-, werkgelegenheids- en welzijnsbeleid' goed; somon leest dat als Edegems goedkeuring van deze overeenkomst (zelfde jaar, Edegem is een van de dertien). "
               "Ranst, Schilde, Wijnegem, Zandhoven en Zoersel zijn later partij bij de Kalmthout-cluster (SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020), maar geen bron noemt die de opvolger van deze overeenkomst, en die seed blijft zoals ze is: deze overeenkomst staat op zichzelf, zonder opvolger."),
    # ------------------------------------------------------------------ Limburg
    dict(id="PB-BERINGEN-HEUSDEN-ZOLDER", kind="cluster", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst Beringen en Heusden-Zolder met VDAB",
               "Samenwerkingsovereenkomst Heusden-Zolder en Beringen met VDAB"],
         title="Samenwerkingsovereenkomst Beringen en Heusden-Zolder met VDAB",
         title_url="https://www.beringen.be/samenwerking-vdab",
         extra_agreement_urls=["https://extranet.vdab.be/nieuws/11-januari-2022-heusden-zolder-en-beringen-samenwerkingsovereenkomst-met-VDAB"],
         partial=["2021-12"],
         notes="Tegenstrijdige bronnen: de (ongedateerde) pagina van Beringen zegt 'Sedert 12/2021 hebben Beringen en Heusden-Zolder een samenwerkingsovereenkomst met de VDAB afgesloten'; het VDAB-nieuwsbericht van 11 januari 2022 zegt dat ze op die dag de overeenkomst sluiten. Beide bronnen staan bij de overeenkomst en bij elke gemeente. "
               "Geen begindatum: '12/2021' (2021-12) is een maand, geen dag, en de twee bronnen verschillen. Geen ondertekeningsdatum: 11/01/2022 is de datum van het nieuwsbericht, niet een vermelde datum van de overeenkomst. Status 'ondertekend' (afgesloten)."),
    dict(id="PB-BILZEN-WERKWINKEL", kind="cluster", status="ondertekend", cycle=False,
         keys=["samenwerkingsovereenkomst lokale werkwinkel Bilzen (VDAB, PWA-Bilzen, stad Bilzen, PWA-Hoeselt, gemeente Hoeselt) - older werkwinkel model"],
         title="Samenwerkingsovereenkomst lokale werkwinkel Bilzen",
         title_url="https://www.bilzen.be/tewerkstelling",
         orgs=[("PB-PWA-BILZEN", ("Bilzen", "https://www.bilzen.be/tewerkstelling")),
               ("PB-PWA-HOESELT", ("Hoeselt", "https://www.bilzen.be/tewerkstelling"))],
         notes="Een overeenkomst van het oudere werkwinkelmodel, niet van de cyclus 2020-2025. De (ongedateerde) pagina van Bilzen noemt als partijen VDAB, het PWA-Bilzen, de stad Bilzen, het PWA-Hoeselt en de gemeente Hoeselt; de twee PWA's staan als organisaties. "
               "Geen datum vermeld. Geen latere overeenkomst van Bilzen of Hoeselt in de bronnen: ze staat op zichzelf, zonder opvolger. Bilzen en Hoeselt vormen sinds 01/01/2025 Bilzen-Hoeselt."),
    dict(id="PB-HASSELT-2021", kind="centrumstad", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst stad Hasselt - VDAB Limburg"],
         title="Samenwerkingsovereenkomst stad Hasselt - VDAB Limburg",
         title_url="https://www.stevenvandeput.be/nieuws/vdab-limburg-en-stad-hasselt-slaan-handen-in-mekaar",
         notes="Het bericht van 02/07/2021 zegt dat de overeenkomst loopt tot eind 2025 (einddatum 31/12/2025, zoals de bron in public_so gelezen is). "
               "02/07/2021 is de datum van het bericht, geen begin- of ondertekeningsdatum: beide blijven leeg, de overeenkomst telt op geen enkele dag mee."),
    dict(id="PB-TONGEREN-2022", kind="gemeente", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst stad Tongeren (en OCMW) - VDAB Limburg", "overeenkomst VDAB - stad Tongeren"],
         title="Samenwerkingsovereenkomst stad Tongeren (en OCMW) - VDAB Limburg",
         title_url="https://www.limburgnieuws.be/business/1647006030-stad-tongeren-en-vdab-bundelen-de-krachten-11-maart-2022--a.html",
         signed_too=True,
         notes="Limburgnieuws (11 maart 2022): 'Vandaag wordt een overeenkomst afgesloten met het 156e lokale bestuur, stad Tongeren', die loopt tot eind 2025: begin en ondertekening 11/03/2022, einde 31/12/2025. "
               "Tongeren Vandaag (ongedateerd in het uittreksel) meldt dezelfde ondertekening. Tongeren en Borgloon vormen sinds 01/01/2025 Tongeren-Borgloon."),
    # ---------------------------------------------------------- Oost-Vlaanderen
    dict(id="PB-DENDERREGIO-2022", kind="cluster", status="ondertekend", cycle=True,
         keys=["Samenwerkingsakkoord VDAB - interlokale vereniging HANDEL Samen & Sociaal - cluster Denderregio"],
         title="Samenwerkingsakkoord VDAB - interlokale vereniging HANDEL Samen & Sociaal - cluster Denderregio",
         title_url="https://www.vdab.be/nieuws-voor-de-pers/nieuws-voor-de-pers-oost-vlaanderen/vdab-werkt-samen-met-acht-besturen-aan-een",
         notes="Persbericht van VDAB Oost-Vlaanderen: acht lokale besturen; 'De overeenkomst gaat in op 1 september 2022 en loopt tot en met 31 december 2025.' "
               "De interlokale vereniging HANDEL Samen & Sociaal staat in de titel maar niet als partij: de bron noemt haar niet als ondertekenaar. "
               "Hetzelfde persbericht noemt het Arbeidspact van Aalst (2021): een aparte overeenkomst (PB-AALST-ARBEIDSPACT-2021), niet de voorganger van deze."),
    dict(id="PB-AALST-ARBEIDSPACT-2021", kind="centrumstad", status="ondertekend", cycle=False,
         keys=["Arbeidspact Aalst (2021) - long-standing cooperation (not itself stated to be the SO)"],
         title="Arbeidspact Aalst",
         title_url="https://www.vdab.be/nieuws-voor-de-pers/nieuws-voor-de-pers-oost-vlaanderen/vdab-werkt-samen-met-acht-besturen-aan-een",
         notes="Het persbericht van VDAB over de Denderregio zegt: 'Met de centrumstad Aalst is er reeds lange tijd een samenwerking en werd er in 2021 het Arbeidspact afgesloten.' De bron noemt het geen samenwerkingsovereenkomst; het staat hier als eigen overeenkomst, buiten de telling van de cyclus 2020-2025. "
               "'In 2021' is een jaar, geen dag: geen begin- of ondertekeningsdatum. Geen verband met PB-DENDERREGIO-2022 vermeld: geen voorganger."),
    dict(id="PB-VLAAMSE-ARDENNEN-2021", kind="cluster", status="ondertekend", cycle=True,
         keys=["Samenwerkingsakkoord VDAB - cluster lokale besturen regio Vlaamse Ardennen (with SEVA)"],
         title="Samenwerkingsakkoord VDAB - cluster lokale besturen regio Vlaamse Ardennen",
         title_url="https://www.nuus.be/2021/10/30/geraardsbergen-zottegem-oudenaarde-brakel-zwalm-en-ronse-willen-meer-mensen-aan-de-slag/",
         notes="nuus.be (30/10/2021): 'De overeenkomst gaat in op 15 oktober 2021 en loopt tot en met 31 december 2025.' "
               "Het akkoord wordt gesloten samen met SEVA (sociale economie Vlaamse Ardennen); de bron noemt SEVA niet als partij, dus staat het niet als organisatie."),
    dict(id="PB-DENDERMONDE-2020", kind="gemeente", status="ondertekend", cycle=True,
         keys=["samenwerkingsovereenkomst VDAB - stad Dendermonde"],
         title="Samenwerkingsovereenkomst VDAB - stad Dendermonde",
         title_url="https://www.hln.be/in-de-buurt/dendermonde/vdab-en-stadsbestuur-gaan-samenwerken-om-meer-mensen-aan-de-slag-te-krijgen~a2c331445/",
         notes="HLN (29/06/2020): een van de eerste in Oost-Vlaanderen; 'loopt tot 31 december 2025'. "
               "29/06/2020 is de datum van het artikel, geen begin- of ondertekeningsdatum: beide blijven leeg, de overeenkomst telt op geen enkele dag mee."),
    dict(id="PB-GENT-DERDE-LEGISLATUUR", kind="centrumstad", status="ondertekend", cycle=True,
         keys=["Samenwerkingsakkoord VDAB Oost-Vlaanderen - Stad Gent (third legislature)"],
         title="Samenwerkingsakkoord VDAB Oost-Vlaanderen - Stad Gent (derde legislatuur)",
         title_url="https://persruimte.stad.gent/193159-samenwerking-met-vdab-hernieuwd-op-maat-van-gentse-arbeidsmarkt",
         notes="Persbericht van Stad Gent (ongedateerd in het uittreksel): 'Voor de derde legislatuur op rij sluiten VDAB Oost-Vlaanderen en de Stad Gent een samenwerkingsakkoord'; opgesteld vóór covid-19, met een addendum voor corona. Geen datum vermeld. "
               "Geen voorganger ingevuld: de overeenkomst van 2007 (SO-GENT-2007) is de eerste van de drie, en de tweede, die deze opvolgt, staat niet in de bronnen."),
    dict(id="PB-SINT-NIKLAAS-2020", kind="centrumstad", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst VDAB - stad Sint-Niklaas", "samenwerking VDAB - centrumstad Sint-Niklaas",
               "samenwerking VDAB - stad Sint-Niklaas"],
         title="Samenwerkingsovereenkomst VDAB - stad Sint-Niklaas",
         title_url="https://www.sint-niklaas.be/actueel/persberichten/samenwerkingsovereenkomst-vdab-stad-sint-niklaas",
         notes="Persbericht van de stad: de overeenkomst geldt 'voor de periode 26 juni 2020 t.e.m. 31 december 2025'. "
               "De Waaskrant (een lopende samenwerking met de centrumstad Sint-Niklaas) en de pagina 'Samen sterk voor lokaal werk' van VDAB (een getuigenis over de samenwerking) gaan over dezelfde samenwerking: ze staan als bronnen bij Sint-Niklaas."),
    dict(id="PB-LEIE-SCHELDE", province="Oost-Vlaanderen", kind="cluster", status="ondertekend", cycle=True,
         keys=["(regio Leie & Schelde)"],
         title="Samenwerkingsakkoord VDAB - lokale besturen regio Leie & Schelde",
         title_url="https://www.nuus.be/2021/10/30/geraardsbergen-zottegem-oudenaarde-brakel-zwalm-en-ronse-willen-meer-mensen-aan-de-slag/",
         notes="nuus.be (30/10/2021): 'Na de akkoorden met de gemeenten uit de regio's Meetjesland, Scheldeland en regio Leie & Schelde': afgesloten vóór 30/10/2021, geen datum. "
               "De bron noemt de gemeenten niet: de enige partij is de organisatie 'Regio Leie & Schelde', zonder gemeenten, tot ze bekend zijn."),
    dict(id="PB-MEETJESLAND", province="Oost-Vlaanderen", kind="cluster", status="ondertekend", cycle=True,
         keys=["(regio Meetjesland)"],
         title="Samenwerkingsakkoord VDAB - lokale besturen regio Meetjesland",
         title_url="https://www.nuus.be/2021/10/30/geraardsbergen-zottegem-oudenaarde-brakel-zwalm-en-ronse-willen-meer-mensen-aan-de-slag/",
         notes="nuus.be (30/10/2021): 'Na de akkoorden met de gemeenten uit de regio's Meetjesland, Scheldeland en regio Leie & Schelde': afgesloten vóór 30/10/2021, geen datum. "
               "De bron noemt de gemeenten niet: de enige partij is de organisatie 'Regio Meetjesland', zonder gemeenten, tot ze bekend zijn."),
    dict(id="PB-WAASLAND", province="Oost-Vlaanderen", kind="cluster", status="ondertekend", cycle=True,
         keys=["(regio Waasland)"],
         title="Samenwerkingsakkoord VDAB - lokale besturen regio Waasland",
         title_url="https://www.vdab.be/nieuws-voor-de-pers/nieuws-voor-de-pers-oost-vlaanderen/vdab-werkt-samen-met-acht-besturen-aan-een",
         notes="Persbericht van VDAB over de Denderregio (die ingaat op 01/09/2022): 'Na de akkoorden met de gemeenten uit de regio's Meetjesland, Scheldeland, Vlaamse Ardennen, Waasland en regio Leie & Schelde': afgesloten vóór dat akkoord, geen datum. "
               "De bron noemt de gemeenten niet: de enige partij is de organisatie 'Regio Waasland', zonder gemeenten, tot ze bekend zijn. Sint-Niklaas heeft een eigen overeenkomst (PB-SINT-NIKLAAS-2020)."),
    # ----------------------------------------------------------------- Limburg
    dict(id="PB-MAASLAND-2021", province="Limburg", kind="cluster", status="in onderhandeling", cycle=True,
         keys=["(regio Maasland)"],
         title="Samenwerkingsovereenkomst VDAB - Maasland",
         title_url="http://www.socialeeconomiemaasland.be/regio---start-samenwerkingsovereenkomst-vdab---maasland",
         notes="Sociale Economie Maasland (bericht van 23/09/2021): 'Ook voor het Maasland zal er een samenwerkingsovereenkomst gesloten worden. Het startoverleg vond plaats op 23 september.' "
               "Status 'in onderhandeling': het startoverleg is gehouden, het sluiten is niet gemeld. Geen verwachte begindatum vermeld. "
               "De bron noemt de gemeenten niet: de enige partij is de organisatie 'Regio Maasland'. (De regie sociale economie Maasland heeft volgens een andere pagina vijf gemeenten, maar die pagina zegt niet dat zij de partijen van deze overeenkomst zijn.)"),
    # ----------------------------------------------------------- Vlaams-Brabant
    dict(id="PB-DIJLELAND", kind="cluster", status="ondertekend", cycle=True,
         keys=["SO Dijleland (Interlokale Vereniging) en VDAB"],
         title="Samenwerkingsovereenkomst Dijleland en VDAB",
         title_url="https://www.vdab.be/nieuws-voor-de-pers/vlaams-brabant/7-lokale-besturen-uit-het-dijleland-en-vdab-pakken-samen-de",
         notes="Persbericht van VDAB (ongedateerd in het uittreksel; minister Jo Brouns wordt geciteerd, dus niet vóór 2022): zeven lokale besturen uit het Dijleland 'versterken structureel de samenwerking met VDAB. In een samenwerkingsovereenkomst'. Status 'ondertekend'; geen datum vermeld. "
               "De interlokale vereniging Dijleland staat in de naam maar niet als partij: de bron noemt de zeven besturen."),
    dict(id="PB-DILBEEK-ASSE-WEMMEL", kind="cluster", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst Dilbeek, Asse, Wemmel en VDAB"],
         title="Samenwerkingsovereenkomst Dilbeek, Asse, Wemmel en VDAB",
         title_url="https://www.persinfo.org/nl/nieuws/artikel/gemeenten-en-vdab-gaan-samenwerken-om-meer-mensen-aan-een-job-te-helpen/51315",
         notes="Persinfo (ongedateerd in het uittreksel): de lokale besturen van Dilbeek, Asse en Wemmel hebben de overeenkomst ondertekend; ze loopt tot 31 december 2025. Geen begin- of ondertekeningsdatum vermeld: de overeenkomst telt op geen enkele dag mee."),
    # ---------------------------------------------------------- West-Vlaanderen
    dict(id="PB-PERSPECTIEF-2023", kind="cluster", status="ondertekend", cycle=True,
         keys=["Samenwerkingsovereenkomst VDAB - projectvereniging Perspectief (regio Middenkust)"],
         title="Samenwerkingsovereenkomst VDAB - projectvereniging Perspectief (regio Middenkust)",
         title_url="https://kw.be/nieuws/economie/werkgelegenheid/vdab-en-perspectief-willen-samen-meer-mensen-aan-de-slag-krijgen-in-de-regio-middenkust/",
         start_as="signed_on",
         orgs=[("PB-PERSPECTIEF", ("Bredene", "https://kw.be/nieuws/economie/werkgelegenheid/vdab-en-perspectief-willen-samen-meer-mensen-aan-de-slag-krijgen-in-de-regio-middenkust/"))],
         notes="KW (november 2023): VDAB en projectvereniging Perspectief 'ondertekenden op 22 november een samenwerkingsovereenkomst' voor de regio Middenkust. "
               "Ondertekend door VDAB en Perspectief; de zeven gemeenten zijn lid van Perspectief en staan als partij omdat de overeenkomst voor hen geldt (zo telt public_so ze); Perspectief staat als organisatie. "
               "22/11/2023 is de dag van de ondertekening en staat als ondertekeningsdatum, niet als begindatum: er is geen einddatum vermeld, en een begin zonder einde zou deze gemeenten tot vandaag als gedekt tellen. Zonder begindatum telt de overeenkomst op geen enkele dag mee."),
    dict(id="PB-OOSTENDE-ARBEIDSPACT", kind="centrumstad", status="ondertekend", cycle=False,
         keys=['Arbeidspact stad Oostende - Economisch Huis Oostende - VDAB (called "arbeidspact", not "samenwerkingsovereenkomst", in source)'],
         title="Arbeidspact stad Oostende - Economisch Huis Oostende - VDAB",
         title_url="https://www.vlaamsparlement.be/commissies/commissievergaderingen/1335742/verslag/1338416",
         orgs=[("PB-EH-OOSTENDE", ("Oostende", "https://www.vlaamsparlement.be/commissies/commissievergaderingen/1335742/verslag/1338416"))],
         notes="Verslag van een commissievergadering van het Vlaams Parlement (ongedateerd in het uittreksel; het verwijst naar het nieuwe regeerakkoord, dus ca. eind 2019/2020): 'we vernamen recent dat de stad Oostende een arbeidspact heeft gesloten ... samen met Economisch Huis Oostende en VDAB.' "
               "De bron noemt het een arbeidspact, geen samenwerkingsovereenkomst: het staat hier als eigen overeenkomst, buiten de telling van de cyclus 2020-2025. Geen datum vermeld. Oostende is ook partij bij PB-PERSPECTIEF-2023."),
    dict(id="PB-MIDWEST-2022", province="West-Vlaanderen", kind="cluster", status="principieel akkoord", cycle=True,
         keys=["(DVV Midwest, association of 16 municipalities)"],
         title="Samenwerkingsovereenkomst VDAB - DVV Midwest",
         title_url="https://www.midwest.be/vdab-en-midwest",
         notes="Midwest: 'In het voorjaar 2022 zal de samenwerkingsovereenkomst tussen VDAB en DVV Midwest definitief ondertekend worden' (samen met POM West-Vlaanderen en de provincie). "
               "Status 'principieel akkoord': de tekst ligt vast, de ondertekening is aangekondigd maar niet gemeld. 'Voorjaar 2022' is geen dag: geen verwachte begindatum. "
               "DVV Midwest is een vereniging van 16 gemeenten, die de pagina niet noemt: de enige partij is de organisatie DVV Midwest, zonder gemeenten, tot ze bekend zijn. POM West-Vlaanderen en de provincie staan niet als partij (de bron noemt ze, niet als ondertekenaar)."),
]

# The Halle-Vilvoorde statement: outreach, not agreements.
OUTREACH_ON = "2025-01-01"
OUTREACH_NOTE = ("Ring TV (januari 2025; cijfers opgevraagd door Vlaams Parlementslid Ine Tombeur): "
                 "deze gemeente werkt niet op een structurele manier samen met VDAB. Citaat: \"{quote}\". "
                 "Bron: {url} (gelezen op 03/12/2026). De bron noemt de maand januari 2025, geen dag: "
                 "1 januari 2025 is de eerste dag van die maand (somons lezing, zoals mei 2023 voor Brecht in RG-KINA).")


def fail(msg):
    sys.exit("public_so.py: " + msg)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def municipalities():
    by_nis = {}
    for r in read_csv(os.path.join(REPO, "data", "municipalities.csv")):
        by_nis.setdefault(r["nis"], []).append(r)
    return by_nis


def full_date(text):
    return text if ISO.match(text) else None


def row_key(row):
    if row["agreement_name"] == "(none)":
        return None
    if row["municipality"].startswith("("):
        return row["municipality"]
    return row["agreement_name"]


def check_nis(by_nis, row):
    nis = row["nis_if_known"]
    if nis not in by_nis:
        fail(f"line {row['_line']}: unknown NIS code {nis} ({row['municipality']})")
    names = {r["name"] for r in by_nis[nis]}
    if row["municipality"] not in names:
        fail(f"line {row['_line']}: NIS {nis} is {sorted(names)}, not {row['municipality']}")
    return nis


def provinces_of(by_nis, nis):
    return {r["province"] for r in by_nis[nis]}


def seed_parties():
    """The parties of the seeds' agreements, by agreement id."""
    seeds = {}
    for name in sorted(os.listdir(HERE)):
        if name.startswith("agreement") and name.endswith(".json"):
            with open(os.path.join(HERE, name), encoding="utf-8") as f:
                for a in json.load(f).get("agreements", []):
                    seeds[a["id"]] = {p.get("municipality") or p.get("organisation") for p in a["parties"]}
    return seeds


def build(source):
    rows = read_csv(os.path.join(source, "agreements.csv"))
    for i, r in enumerate(rows):
        r["_line"] = i + 2
    by_nis = municipalities()
    seeds = seed_parties()
    spec_of = {}
    for a in AGREEMENTS:
        for k in a["keys"]:
            if k in spec_of or k in SEED_ROWS:
                fail(f"key {k!r} given twice")
            spec_of[k] = a
    used = {a["id"]: [] for a in AGREEMENTS}
    seed_rows, outreach_rows = [], []
    for r in rows:
        k = row_key(r)
        if k is None:
            outreach_rows.append(r)
        elif k in SEED_ROWS:
            sid = SEED_ROWS[k]
            if sid not in seeds:
                fail(f"line {r['_line']}: seed agreement {sid} not in data/demo")
            if r["nis_if_known"] and check_nis(by_nis, r) not in seeds[sid]:
                fail(f"line {r['_line']}: {r['municipality']} is not a party of the seed {sid}")
            seed_rows.append((r, sid))
        elif k in spec_of:
            used[spec_of[k]["id"]].append(r)
        else:
            fail(f"line {r['_line']}: no agreement takes the row ({k!r}); add it to AGREEMENTS or SEED_ROWS")
    for a in AGREEMENTS:
        if not used[a["id"]]:
            fail(f"{a['id']}: no row of public_so")
    return rows, by_nis, used, seed_rows, outreach_rows


def agreement_dates(a, arows):
    """start/end/signed_on from the rows' columns; partial texts must be acknowledged."""
    got = {"start": set(), "end": set()}
    for r in arows:
        for col in ("start", "end"):
            v = r[col].strip()
            if not v:
                continue
            if full_date(v):
                got[col].add(v)
            elif v not in a.get("partial", []):
                fail(f"{a['id']}: line {r['_line']}: {col} '{v}' is not a day; acknowledge it in 'partial' and the notes")
    for col, vals in got.items():
        if len(vals) > 1:
            fail(f"{a['id']}: the rows state different {col} dates {sorted(vals)}")
    start = next(iter(got["start"]), None)
    end = next(iter(got["end"]), None)
    signed = None
    if start and a.get("start_as") == "signed_on":
        signed, start = start, None
    elif start and a.get("signed_too"):
        signed = start
    for p in a.get("partial", []):
        if p not in a["notes"]:
            fail(f"{a['id']}: the partial date '{p}' is not in the notes")
    return start, end, signed


def directie(a, arows, by_nis):
    provs = set()
    for r in arows:
        if r["nis_if_known"]:
            provs |= provinces_of(by_nis, r["nis_if_known"])
    if not provs:  # an association without named members: its province is given
        provs = {a.get("province") or fail(f"{a['id']}: no municipality party; give its province")}
    if len(provs) != 1:
        fail(f"{a['id']}: parties in several provinces {sorted(provs)}")
    return provs.pop()


ORG_OF_ROW = {
    "(DVV Midwest, association of 16 municipalities)": "PB-DVV-MIDWEST",
    "(regio Leie & Schelde)": "PB-REGIO-LEIE-SCHELDE",
    "(regio Maasland)": "PB-REGIO-MAASLAND",
    "(regio Meetjesland)": "PB-REGIO-MEETJESLAND",
    "(regio Waasland)": "PB-REGIO-WAASLAND",
}

HEADER = ["overeenkomst", "titel", "directie", "status", "soort", "begin", "einde", "ondertekend_op",
          "voorganger", "gemeente", "organisatie", "goedgekeurd_op", "bron", "citaat", "gelezen_op",
          "opmerkingen"]


def sheet_rows(rows, by_nis, used):
    out = []
    summary = []
    for a in AGREEMENTS:
        arows = used[a["id"]]
        start, end, signed = agreement_dates(a, arows)
        prov = directie(a, arows, by_nis)
        notes = a["notes"] + " " + BRON
        fixed = {"overeenkomst": a["id"], "titel": a["title"], "directie": prov, "status": a["status"],
                 "soort": a["kind"], "begin": start or "", "einde": end or "", "ondertekend_op": signed or "",
                 "voorganger": a.get("predecessor") or "", "opmerkingen": notes}
        # the agreement's own sources: rows stating a start or an end, and the title's source
        agreement_urls = {a["title_url"], *a.get("extra_agreement_urls", [])}
        own = []
        for r in arows:
            key = (r["source_url"], r["quote"])
            dated = r["start"] or r["end"]
            # a dated row with each of its quotes; the title's page (and the other
            # pages of the agreement itself) once, with the first quote of its rows
            if key not in own and (dated or (r["source_url"] in agreement_urls
                                             and all(u != r["source_url"] for u, _ in own))):
                own.append(key)
        if not any(u == a["title_url"] for u, _ in own):
            fail(f"{a['id']}: title_url is not among its rows' sources")
        for url, quote in own:
            out.append(dict(fixed, bron=url, citaat=quote, gelezen_op=READ_ON))
        # the parties: a municipality per row, an organisation per association row
        approved = {}
        munis = []
        for r in arows:
            if r["municipality"].startswith("("):
                org = ORG_OF_ROW.get(r["municipality"]) or fail(f"line {r['_line']}: no organisation for {r['municipality']}")
                out.append(dict(fixed, organisatie=org, bron=r["source_url"], citaat=r["quote"], gelezen_op=READ_ON))
                continue
            nis = check_nis(by_nis, r)
            dec = r["council_decision"].strip()
            if dec and not full_date(dec):
                fail(f"line {r['_line']}: council_decision '{dec}' is not a day")
            if dec:
                if approved.get(nis, dec) != dec:
                    fail(f"{a['id']}: two approvals for {nis}")
                approved[nis] = dec
            if nis not in munis:
                munis.append(nis)
            out.append(dict(fixed, gemeente=nis, goedgekeurd_op=dec, bron=r["source_url"], citaat=r["quote"],
                            gelezen_op=READ_ON))
        for org, (muni, url) in a.get("orgs", []):
            src = [r for r in arows if r["municipality"] == muni and r["source_url"] == url]
            if not src:
                fail(f"{a['id']}: no row ({muni}, {url}) for organisation {org}")
            out.append(dict(fixed, organisatie=org, bron=url, citaat=src[0]["quote"], gelezen_op=READ_ON))
        summary.append((a, prov, munis, start, end, signed))
    return out, summary


def write_sheet(out):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, delimiter=";", lineterminator="\r\n", restval="")
    w.writeheader()
    for r in out:
        w.writerow(r)
    # UTF-8 with a BOM and CRLF: Excel in nl-BE opens it as it is (docs/sheet.md reads both)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def regiegebieden(source, by_nis):
    """Only regiegebieden whose rows give days; years or nothing leave them out."""
    kept = []
    name_nis = {}
    for nis, rs in by_nis.items():
        for r in rs:
            name_nis.setdefault(r["name"], set()).add(nis)
    for r in read_csv(os.path.join(source, "regiegebieden.csv")):
        frm = full_date(r["from"].strip())
        until = full_date(r["until"].split(" ")[0].strip())
        if not (frm and until):
            continue
        nis = name_nis.get(r["member_municipality"])
        if not nis or len(nis) != 1:
            fail(f"regiegebieden: {r['member_municipality']} is not one municipality")
        kept.append((r, frm, until, nis.pop()))
    if len(kept) != 1 or kept[0][0]["member_municipality"] != "Sint-Martens-Latem":
        fail("regiegebieden: expected exactly the Leie en Schelde row with days; review README and this script")
    r, frm, until, nis = kept[0]
    return [{
        "id": "PB-RG-LEIE-SCHELDE",
        "name": "Werken Leie en Schelde (projectvereniging Wijkwerkorganisatie Leie en Schelde)",
        "province": "Oost-Vlaanderen",
        "from": frm,
        "until": until,
        "members": [nis],
        "notes": ("Projectvereniging Wijkwerkorganisatie Leie en Schelde (wijk-werken, sociale economie en werk). "
                  "De notulen van de gemeenteraad van Sint-Martens-Latem noemen de werkingstermijn 01/01/2018 tot 31/12/2023 "
                  "('De huidige werkingstermijn van projectvereniging Wijkwerkorganisatie Leie en Schelde verloopt op 31 december 2023'; "
                  "de verlenging vanaf 2024 was nog te beslissen). Alleen Sint-Martens-Latem wordt als lid genoemd: de ledenlijst is "
                  "onvolledig. Niet gekoppeld aan PB-LEIE-SCHELDE: geen bron zegt dat die overeenkomst van dit regiegebied is. "
                  f"Bron: {r['source_url']} (gelezen op 03/12/2026)."),
    }]


def build_json(source, by_nis, outreach_rows):
    outreach = []
    for r in sorted(outreach_rows, key=lambda r: r["nis_if_known"]):
        nis = check_nis(by_nis, r)
        if not any(x["valid_from"] <= OUTREACH_ON and (not x["valid_to"] or x["valid_to"] >= OUTREACH_ON)
                   for x in by_nis[nis]):
            fail(f"line {r['_line']}: {nis} does not exist on {OUTREACH_ON}")
        outreach.append({"municipality": nis, "on": OUTREACH_ON, "stage": "no_contact",
                         "note": OUTREACH_NOTE.format(quote=r["quote"], url=r["source_url"])})
    if len(outreach) != 15:
        fail(f"expected the 15 Halle-Vilvoorde municipalities, got {len(outreach)}")
    doc = {
        "format": "somon/1",
        "register_notice": "public_sources_partial",
        "organisations": [{"id": i, "name": n, "kind": k, "members": []} for i, n, k in ORGANISATIONS],
        "regiegebieden": regiegebieden(source, by_nis),
        "outreach": outreach,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", default=os.path.join(HERE, "public_so"))
    ap.add_argument("--out", default=os.path.join(HERE, "publieke-bronnen"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    rows, by_nis, used, seed_rows, outreach_rows = build(args.source)
    out, summary = sheet_rows(rows, by_nis, used)
    orgs_used = {r["organisatie"] for r in out if r.get("organisatie")}
    if orgs_used != {i for i, _, _ in ORGANISATIONS}:
        fail(f"organisations defined and used differ: {sorted(orgs_used ^ {i for i, _, _ in ORGANISATIONS})}")
    files = {"publieke-bronnen.csv": write_sheet(out),
             "publieke-bronnen.json": build_json(args.source, by_nis, outreach_rows)}
    differ = []
    for name, data in files.items():
        path = os.path.join(args.out, name)
        if args.check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        differ.append(path)
            except FileNotFoundError:
                differ.append(path)
        else:
            os.makedirs(args.out, exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    if not args.quiet:
        report(rows, summary, seed_rows, outreach_rows)
    if differ:
        print("differ from the script's output: " + ", ".join(differ), file=sys.stderr)
        sys.exit(1)


def report(rows, summary, seed_rows, outreach_rows):
    cyc = {}
    for a, prov, munis, start, end, signed in summary:
        print(f"{a['id']:28} {prov:16} {a['status']:20} begin={start or '-':10} einde={end or '-':10} "
              f"ondertekend={signed or '-':10} gemeenten={len(munis)}")
        if a["cycle"]:
            for m in munis:
                cyc[m] = prov
    for sid in sorted({s for _, s in seed_rows}):
        print(f"seed {sid}: rows {', '.join(str(r['_line']) for r, s in seed_rows if s == sid)}")
    print(f"{len(rows)} rows: {sum(len(m) for _, _, m, *_ in summary)} municipality parties in "
          f"{len(summary)} agreements, {len(seed_rows)} rows of seed agreements, {len(outreach_rows)} outreach")
    print(f"municipalities party to a new 2020-2025 agreement: {len(cyc)} (+ the seeds' own)")


if __name__ == "__main__":
    main()
