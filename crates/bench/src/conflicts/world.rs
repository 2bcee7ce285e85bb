//! The vocabulary of the synthetic customer accounts: countries with their share of the
//! accounts, top-level domain, cities (with the exonyms partners also write), legal forms
//! with their frequency, common surnames and the generic business words of the language.
//! Written from general knowledge for this benchmark; nothing here is real company data.

/// One country's vocabulary, as `|`-separated lists. Cities may carry a second spelling
/// after `=` ("München=Munich"); legal forms a weight after `:`.
pub struct CountryText {
    pub code: &'static str,
    /// Share of the accounts, per mille (roughly).
    pub weight: u32,
    pub tld: &'static str,
    /// Percentage of the country's companies on ".com" instead of `tld`.
    pub com_percent: u32,
    pub cities: &'static str,
    pub legal: &'static str,
    pub surnames: &'static str,
    pub generics: &'static str,
    /// The local word for "and".
    pub and: &'static str,
}

const EN_GENERICS: &str = "Solutions|Services|Systems|Technologies|Group|Holdings|International|Consulting|Partners|\
Industries|Enterprises|Associates|Logistics|Software|Digital|Data|Networks|Media|Marketing|Engineering|Construction|\
Development|Capital|Financial|Insurance|Energy|Medical|Health|Healthcare|Pharmaceuticals|Laboratories|Distribution|\
Supply|Transport|Foods|Products|Design|Manufacturing|Analytics|Security|Cloud|Realty|Properties|Ventures|Dynamics|\
Innovations|Automation|Robotics|Aerospace|Biotech|Therapeutics|Electric|Electronics|Communications|Motors|Freight|\
Marine|Trading|Management|Brothers|Creative|Studios|Outdoor|Apparel|Packaging|Printing|Furniture|Interiors";

const ES_SURNAMES: &str = "García|Rodríguez|González|Fernández|López|Martínez|Sánchez|Pérez|Gómez|Martín|Jiménez|Ruiz|\
Hernández|Díaz|Moreno|Muñoz|Álvarez|Romero|Alonso|Gutiérrez|Navarro|Torres|Domínguez|Vázquez|Ramos|Gil|Ramírez|Serrano|\
Blanco|Molina|Morales|Suárez|Ortega|Delgado|Castro|Ortiz|Rubio|Marín|Sanz|Núñez|Iglesias|Medina|Garrido|Cortés|Castillo|\
Santos|Lozano|Guerrero|Cano|Prieto|Méndez|Cruz|Calvo|Gallego|Herrera|Márquez|León|Peña|Flores|Cabrera|Campos|Vega|\
Fuentes|Carrasco|Caballero|Reyes|Nieto|Aguilar|Pascual|Santana|Herrero|Montero|Lorenzo|Hidalgo|Giménez|Ibáñez|Ferrer|\
Durán|Santiago|Benítez|Mora|Vicente|Vargas|Arias|Carmona|Crespo|Román|Pastor|Soto|Sáez|Velasco|Moya|Soler|Parra|Esteban";

const ES_GENERICS: &str = "Servicios|Construcciones|Soluciones|Transportes|Ingeniería|Comercial|Distribuciones|Inversiones|\
Tecnología|Sistemas|Consultores|Logística|Instalaciones|Grupo|Obras|Industrias|Electricidad|Informática|Asesores|\
Inmobiliaria|Alimentos|Energía|Climatización|Reformas";

const PT_GENERICS: &str = "Serviços|Construções|Comércio|Soluções|Indústria|Engenharia|Transportes|Tecnologia|Sistemas|\
Logística|Consultoria|Imobiliária|Distribuidora|Energia|Informática|Alimentos|Participações|Importação";

const UK_SURNAMES: &str = "Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Patel|Robinson|Wright|Thompson|Evans|\
Walker|White|Roberts|Green|Hall|Thomas|Clarke|Jackson|Wood|Harris|Edwards|Turner|Martin|Cooper|Hill|Ward|Hughes|Moore|\
Clark|King|Harrison|Lewis|Baker|Lee|Allen|Morris|Khan|Scott|Watson|Davis|Parker|James|Bennett|Young|Phillips|\
Richardson|Mitchell|Bailey|Carter|Cook|Singh|Shaw|Bell|Collins|Morgan|Kelly|Miller|Cox|Hussain|Marshall|Simpson|Price|\
Anderson|Adams|Wilkinson|Ali|Ahmed|Foster|Ellis|Murphy|Chapman|Mason|Gray|Richards|Webb|Griffiths|Hunt|Palmer|Campbell|\
Holmes|Mills|Rogers|Barnes|Knight|Matthews|Barker|Powell|Stevens|Fisher|Butler|Dixon|Russell|Harvey|Pearson|Graham";

pub const COUNTRIES: &[CountryText] = &[
    CountryText {
        code: "US",
        weight: 200,
        tld: "com",
        com_percent: 100,
        cities: "New York=NYC|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|San Jose|\
Austin|Jacksonville|Fort Worth|Columbus|Charlotte|San Francisco|Indianapolis|Seattle|Denver|Washington|Boston|El Paso|\
Nashville|Detroit|Oklahoma City|Portland|Las Vegas|Memphis|Louisville|Baltimore|Milwaukee|Albuquerque|Tucson|Fresno|\
Sacramento|Kansas City|Mesa|Atlanta|Omaha|Colorado Springs|Raleigh|Miami|Minneapolis|Tulsa|Cleveland|Wichita|Arlington|\
New Orleans|Tampa|Pittsburgh|St. Louis=Saint Louis|Cincinnati|Orlando|Salt Lake City|Boise|Richmond|Spokane|Des Moines",
        legal: "Inc.:40|LLC:35|Corp.:8|Corporation:4|Co.:3|LP:2|LLP:2|:6",
        surnames: "Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|Gonzalez|\
Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|White|Harris|Sanchez|Clark|Ramirez|Lewis|Robinson|\
Walker|Young|Allen|King|Wright|Scott|Torres|Nguyen|Hill|Flores|Green|Adams|Nelson|Baker|Hall|Rivera|Campbell|Mitchell|\
Carter|Roberts|Gomez|Phillips|Evans|Turner|Diaz|Parker|Cruz|Edwards|Collins|Reyes|Stewart|Morris|Morales|Murphy|Cook|\
Rogers|Gutierrez|Ortiz|Morgan|Cooper|Peterson|Bailey|Reed|Kelly|Howard|Ramos|Kim|Cox|Ward|Richardson|Watson|Brooks|\
Chavez|Wood|James|Bennett|Gray|Mendoza|Ruiz|Hughes|Price|Alvarez|Castillo|Sanders|Patel|Myers|Long|Ross|Foster",
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "DE",
        weight: 100,
        tld: "de",
        com_percent: 15,
        cities: "Berlin|Hamburg|München=Munich|Köln=Cologne|Frankfurt am Main=Frankfurt|Stuttgart|Düsseldorf|Leipzig|\
Dortmund|Essen|Bremen|Dresden|Hannover=Hanover|Nürnberg=Nuremberg|Duisburg|Bochum|Wuppertal|Bielefeld|Bonn|Münster|\
Mannheim|Karlsruhe|Augsburg|Wiesbaden|Mönchengladbach|Gelsenkirchen|Aachen|Braunschweig|Kiel|Chemnitz|Halle|Magdeburg|\
Freiburg|Krefeld|Mainz|Lübeck|Erfurt|Rostock|Kassel|Saarbrücken|Potsdam|Regensburg|Würzburg|Ulm|Heidelberg|Darmstadt|\
Paderborn|Ingolstadt|Göttingen|Wolfsburg|Osnabrück",
        legal: "GmbH:55|GmbH & Co. KG:15|AG:8|KG:5|UG (haftungsbeschränkt):5|e.K.:4|OHG:2|SE:1|:5",
        surnames: "Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Schäfer|Koch|Bauer|Richter|\
Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|Braun|Krüger|Hofmann|Hartmann|Lange|Schmitt|Werner|Schmitz|Krause|Meier|\
Lehmann|Schmid|Schulze|Maier|Köhler|Herrmann|König|Walter|Mayer|Huber|Kaiser|Fuchs|Peters|Lang|Scholz|Möller|Weiß|Jung|\
Hahn|Schubert|Vogel|Friedrich|Keller|Günther|Frank|Berger|Winkler|Roth|Beck|Lorenz|Baumann|Franke|Albrecht|Schuster|\
Simon|Ludwig|Böhm|Winter|Kraus|Martin|Schumacher|Krämer|Vogt|Stein|Jäger|Otto|Sommer|Groß|Seidel|Heinrich|Brandt|Haas|\
Schreiber|Graf|Schulte|Dietrich|Ziegler|Kuhn|Kühn|Pohl|Engel|Horn|Busch|Bergmann|Thomas|Voigt|Sauer|Arnold|Wolff|Pfeiffer",
        generics: "Bau|Technik|Handel|Logistik|Beratung|Immobilien|Maschinenbau|Elektro|Elektrotechnik|Metallbau|Holzbau|\
Software|Systeme|Medizintechnik|Verwaltung|Dienstleistungen|Spedition|Anlagenbau|Fahrzeugbau|Werke|Automation|Consulting|\
Solutions|Services|Gruppe|Holding|Industrietechnik|Gebäudetechnik|Sanitär|Druck|Verpackung|Personal|Energie",
        and: "und",
    },
    CountryText {
        code: "GB",
        weight: 70,
        tld: "co.uk",
        com_percent: 25,
        cities: "London|Birmingham|Manchester|Glasgow|Leeds|Liverpool|Newcastle upon Tyne|Sheffield|Bristol|Edinburgh|\
Leicester|Nottingham|Cardiff|Belfast|Coventry|Bradford|Southampton|Brighton|Plymouth|Reading|Aberdeen|Cambridge|Oxford|\
York|Milton Keynes|Derby|Portsmouth|Norwich|Swansea|Exeter|Bath|Luton|Dundee|Inverness",
        legal: "Ltd:55|Limited:20|PLC:4|LLP:4|Ltd.:10|:7",
        surnames: UK_SURNAMES,
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "FR",
        weight: 70,
        tld: "fr",
        com_percent: 20,
        cities: "Paris|Marseille=Marseilles|Lyon=Lyons|Toulouse|Nice|Nantes|Montpellier|Strasbourg|Bordeaux|Lille|Rennes|\
Reims|Toulon|Saint-Étienne|Le Havre|Grenoble|Dijon|Angers|Nîmes|Villeurbanne|Clermont-Ferrand|Le Mans|Aix-en-Provence|\
Brest|Tours|Amiens|Limoges|Annecy|Perpignan|Besançon|Orléans|Rouen|Mulhouse|Caen|Nancy|Metz|Avignon|Poitiers|Béziers|\
La Rochelle",
        legal: "SAS:40|SARL:30|S.A.:8|SA:5|EURL:5|SASU:5|SNC:2|:5",
        surnames: "Martin|Bernard|Thomas|Petit|Robert|Richard|Durand|Dubois|Moreau|Laurent|Simon|Michel|Lefèbvre|Leroy|\
Roux|David|Bertrand|Morel|Fournier|Girard|Bonnet|Dupont|Lambert|Fontaine|Rousseau|Vincent|Lefèvre|Faure|André|Mercier|\
Blanc|Guérin|Boyer|Garnier|Chevalier|François|Legrand|Gauthier|Perrin|Robin|Clément|Morin|Nicolas|Henry|Roussel|Mathieu|\
Gautier|Masson|Marchand|Duval|Denis|Dumont|Lemaire|Noël|Dufour|Meunier|Brun|Blanchard|Giraud|Joly|Rivière|Lucas|\
Brunet|Gaillard|Barbier|Arnaud|Gérard|Roche|Renard|Roy|Leroux|Colin|Vidal|Caron|Picard|Roger|Fabre|Aubert|Lemoine|\
Renaud|Dumas|Lacroix|Olivier|Bourgeois|Benoît|Leclerc|Rolland|Guillaume|Lecomte|Dupuy|Hubert|Carpentier|Moulin|Huet|\
Vasseur|Boucher|Fleury|Royer|Jacquet|Poirier|Marty|Aubry|Guyot|Carré|Renault|Charpentier|Ménard|Maillard|Bertin|Hervé",
        generics: "Conseil|Services|Transports|Bâtiment|Industrie|Ingénierie|Immobilier|Informatique|Distribution|\
Construction|Technologies|Solutions|Logistique|Systèmes|Électricité|Menuiserie|Plomberie|Énergie|Environnement|\
Développement|Groupe|Holding|Communication|Médical|Travaux|Équipements",
        and: "et",
    },
    CountryText {
        code: "IT",
        weight: 50,
        tld: "it",
        com_percent: 15,
        cities: "Roma=Rome|Milano=Milan|Napoli=Naples|Torino=Turin|Palermo|Genova=Genoa|Bologna|Firenze=Florence|Bari|\
Catania|Venezia=Venice|Verona|Messina|Padova|Trieste|Brescia|Parma|Taranto|Prato|Modena|Reggio Calabria|Reggio Emilia|\
Perugia|Livorno|Ravenna|Cagliari|Foggia|Rimini|Salerno|Ferrara|Sassari|Latina|Monza|Siracusa|Bergamo|Pescara|Trento|\
Vicenza|Bolzano|Novara|Udine|Ancona|Lecce",
        legal: "S.r.l.:50|S.p.A.:15|Srl:15|SpA:5|S.n.c.:5|S.a.s.:3|:7",
        surnames: "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|Conti|De Luca|\
Mancini|Costa|Giordano|Rizzo|Lombardi|Moretti|Barbieri|Fontana|Santoro|Mariani|Rinaldi|Caruso|Ferrara|Galli|Martini|Leone|\
Longo|Gentile|Martinelli|Vitale|Lombardo|Serra|Coppola|De Santis|D'Angelo|Marchetti|Parisi|Villa|Conte|Ferraro|Ferri|\
Fabbri|Bianco|Marini|Grasso|Valentini|Messina|Sala|De Angelis|Gatti|Pellegrini|Palumbo|Sanna|Farina|Rizzi|Monti|\
Cattaneo|Morelli|Amato|Silvestri|Mazza|Testa|Grassi|Pellegrino|Carbone|Giuliani|Benedetti|Barone|Rossetti|Caputo|\
Montanari|Guerra|Palmieri|Bernardi|Martino|Fiore|De Rosa|Ferretti|Bellini|Basile|Riva|Donati|Piras|Vitali|Battaglia",
        generics: "Servizi|Costruzioni|Impianti|Trasporti|Industria|Informatica|Tecnologie|Sistemi|Consulting|Engineering|\
Commerciale|Elettronica|Meccanica|Logistica|Edilizia|Group|Soluzioni|Ingegneria|Distribuzione|Immobiliare|Arredamenti",
        and: "e",
    },
    CountryText {
        code: "ES",
        weight: 50,
        tld: "es",
        com_percent: 20,
        cities: "Madrid|Barcelona|Valencia|Sevilla=Seville|Zaragoza|Málaga|Murcia|Palma|Las Palmas|Bilbao|Alicante|Córdoba|\
Valladolid|Vigo|Gijón|A Coruña|Vitoria-Gasteiz|Granada|Elche|Oviedo|Badalona|Cartagena|Terrassa|Jerez|Sabadell|Móstoles|\
Pamplona|Almería|San Sebastián|Burgos|Santander|Castellón|Albacete|Getafe|Salamanca|Logroño|Huelva|Badajoz|Lleida|\
Tarragona|León|Cádiz|Jaén|Ourense|Girona",
        legal: "S.L.:55|S.A.:15|SL:15|S.L.U.:5|SA:3|:7",
        surnames: ES_SURNAMES,
        generics: ES_GENERICS,
        and: "y",
    },
    CountryText {
        code: "NL",
        weight: 30,
        tld: "nl",
        com_percent: 15,
        cities: "Amsterdam|Rotterdam|Den Haag=The Hague|Utrecht|Eindhoven|Groningen|Tilburg|Almere|Breda|Nijmegen|\
Apeldoorn|Haarlem|Arnhem|Enschede|Amersfoort|Zaanstad|'s-Hertogenbosch|Zwolle|Leiden|Maastricht|Dordrecht|Zoetermeer|\
Delft|Alkmaar|Venlo|Deventer|Leeuwarden",
        legal: "B.V.:65|BV:15|N.V.:5|V.O.F.:5|:10",
        surnames: "De Jong|Jansen|De Vries|Van den Berg|Van Dijk|Bakker|Janssen|Visser|Smit|Meijer|De Boer|Mulder|\
De Groot|Bos|Vos|Peters|Hendriks|Van Leeuwen|Dekker|Brouwer|De Wit|Dijkstra|Smits|De Graaf|Van der Meer|Van der Linden|\
Kok|Jacobs|De Haan|Vermeulen|Van den Heuvel|Van der Veen|Van den Broek|De Bruijn|De Bruin|Van der Heijden|Schouten|\
Van Beek|Willems|Van Vliet|Van de Ven|Hoekstra|Maas|Verhoeven|Koster|Van Dam|Van der Wal|Prins|Blom|Huisman|De Koning",
        generics: "Bouw|Techniek|Installatie|Diensten|Groep|Handel|Logistiek|Transport|Advies|Beheer|Holding|Software|\
Systemen|Automatisering|Vastgoed|Engineering|Onderhoud",
        and: "en",
    },
    CountryText {
        code: "BE",
        weight: 15,
        tld: "be",
        com_percent: 15,
        cities: "Bruxelles=Brussels|Antwerpen=Antwerp|Gent|Charleroi|Liège|Brugge|Namur|Leuven|Mons|Mechelen|Aalst|\
Hasselt|Kortrijk|Oostende",
        legal: "BV:30|NV:20|SA:15|SRL:15|BVBA:10|:10",
        surnames: "Peeters|Janssens|Maes|Jacobs|Mertens|Willems|Claes|Goossens|Wouters|De Smet|Dubois|Lambert|Dupont|\
Martin|Simon|Leclercq|Vermeulen|Desmet|Hermans|Michiels|Van Damme|Lemmens|Dumont|Lefebvre|Declercq",
        generics: "Bouw|Techniek|Services|Groep|Transport|Construct|Consulting|Solutions|Logistics|Immo",
        and: "en",
    },
    CountryText {
        code: "CH",
        weight: 15,
        tld: "ch",
        com_percent: 10,
        cities: "Zürich=Zurich|Genève=Geneva|Basel|Lausanne|Bern|Winterthur|Luzern=Lucerne|St. Gallen|Lugano|Biel|Thun|\
Fribourg|Schaffhausen|Chur|Neuchâtel|Sion|Zug",
        legal: "AG:40|GmbH:35|SA:10|Sàrl:8|:7",
        surnames: "Müller|Meier|Schmid|Keller|Weber|Huber|Schneider|Meyer|Steiner|Fischer|Gerber|Brunner|Baumann|Frei|\
Zimmermann|Moser|Widmer|Wyss|Graf|Roth|Favre|Rochat|Bonvin|Suter|Bühler|Bachmann|Kälin|Lüthi|Gasser|Marti",
        generics: "Bau|Technik|Handel|Treuhand|Immobilien|Informatik|Services|Holding|Consulting|Solutions|Engineering",
        and: "und",
    },
    CountryText {
        code: "AT",
        weight: 15,
        tld: "at",
        com_percent: 10,
        cities: "Wien=Vienna|Graz|Linz|Salzburg|Innsbruck|Klagenfurt|Villach|Wels|St. Pölten|Dornbirn|Steyr|\
Wiener Neustadt|Feldkirch|Bregenz|Leoben",
        legal: "GmbH:65|AG:10|KG:8|OG:5|Ges.m.b.H.:5|:7",
        surnames: "Gruber|Huber|Bauer|Wagner|Müller|Pichler|Steiner|Moser|Mayer|Hofer|Leitner|Berger|Fuchs|Eder|Fischer|\
Schmid|Winkler|Weber|Schwarz|Maier|Schneider|Reiter|Mayr|Schmidt|Wimmer|Egger|Brunner|Lang|Baumgartner|Auer",
        generics: "Bau|Technik|Handel|Logistik|Beratung|Immobilien|Elektro|Holzbau|Installationen|Software|Systeme",
        and: "und",
    },
    CountryText {
        code: "SE",
        weight: 20,
        tld: "se",
        com_percent: 10,
        cities: "Stockholm|Göteborg=Gothenburg|Malmö|Uppsala|Västerås|Örebro|Linköping|Helsingborg|Jönköping|Norrköping|\
Lund|Umeå|Gävle|Borås|Södertälje|Eskilstuna|Halmstad|Växjö|Karlstad|Sundsvall|Luleå",
        legal: "AB:85|AB (publ):5|HB:3|:7",
        surnames: "Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson|Svensson|Gustafsson|Pettersson|\
Jonsson|Jansson|Hansson|Bengtsson|Jönsson|Lindberg|Jakobsson|Magnusson|Olofsson|Lindström|Lindqvist|Lindgren|Axelsson|\
Berg|Bergström|Lundberg|Lind|Lundgren|Lundqvist|Mattsson|Berglund|Fredriksson|Sandberg|Henriksson|Forsberg|Sjöberg|\
Wallin|Engström|Eklund|Danielsson|Lundin|Håkansson|Björk|Bergman|Gunnarsson|Holm|Wikström|Samuelsson|Isaksson",
        generics: "Bygg|Teknik|Konsult|Service|Gruppen|Transport|El|Fastigheter|Data|Industri|Maskin|Handel|Entreprenad|\
Logistik|Elektronik",
        and: "och",
    },
    CountryText {
        code: "DK",
        weight: 15,
        tld: "dk",
        com_percent: 10,
        cities: "København=Copenhagen|Aarhus|Odense|Aalborg|Esbjerg|Randers|Kolding|Horsens|Vejle|Roskilde|Herning|\
Silkeborg|Næstved|Fredericia|Viborg",
        legal: "ApS:50|A/S:40|:10",
        surnames: "Nielsen|Jensen|Hansen|Pedersen|Andersen|Christensen|Larsen|Sørensen|Rasmussen|Jørgensen|Petersen|\
Madsen|Kristensen|Olsen|Thomsen|Christiansen|Poulsen|Johansen|Møller|Mortensen|Knudsen|Jakobsen|Mikkelsen|Olesen|\
Frederiksen|Laursen|Henriksen|Lund|Eriksen|Holm|Kristiansen|Clausen|Simonsen|Svendsen|Andreasen|Iversen|Jeppesen|\
Vestergaard|Nissen|Lauridsen|Kjær|Jespersen|Mogensen|Nørgaard|Jepsen|Frandsen|Søndergaard|Bertelsen|Kjeldsen",
        generics: "Byg|Teknik|Service|Gruppen|Transport|El|Ejendomme|Data|Industri|Handel|Rådgivning|Logistik",
        and: "og",
    },
    CountryText {
        code: "NO",
        weight: 15,
        tld: "no",
        com_percent: 10,
        cities: "Oslo|Bergen|Trondheim|Stavanger|Drammen|Fredrikstad|Kristiansand|Sandnes|Tromsø|Sarpsborg|Skien|Ålesund|\
Sandefjord|Haugesund|Tønsberg|Moss|Porsgrunn|Bodø|Arendal|Hamar",
        legal: "AS:85|ASA:8|:7",
        surnames: "Hansen|Johansen|Olsen|Larsen|Andersen|Pedersen|Nilsen|Kristiansen|Jensen|Karlsen|Johnsen|Pettersen|\
Eriksen|Berg|Haugen|Hagen|Johannessen|Andreassen|Jacobsen|Dahl|Jørgensen|Henriksen|Lund|Halvorsen|Sørensen|Jakobsen|\
Moen|Gundersen|Iversen|Strand|Solberg|Svendsen|Eide|Knutsen|Martinsen|Paulsen|Bakken|Kristoffersen|Mathisen|Lie|\
Amundsen|Rasmussen|Lunde|Solheim|Berge|Moe|Nygård|Bakke",
        generics: "Bygg|Teknikk|Service|Gruppen|Transport|Elektro|Eiendom|Data|Industri|Handel|Rådgivning|Logistikk|\
Entreprenør",
        and: "og",
    },
    CountryText {
        code: "FI",
        weight: 15,
        tld: "fi",
        com_percent: 10,
        cities: "Helsinki|Espoo|Tampere|Vantaa|Oulu|Turku|Jyväskylä|Lahti|Kuopio|Pori|Joensuu|Lappeenranta|Hämeenlinna|\
Vaasa|Seinäjoki|Rovaniemi|Mikkeli|Kotka|Salo|Porvoo",
        legal: "Oy:85|Oyj:7|Ky:3|:5",
        surnames: "Korhonen|Virtanen|Mäkinen|Nieminen|Mäkelä|Hämäläinen|Laine|Heikkinen|Koskinen|Järvinen|Lehtonen|\
Lehtinen|Saarinen|Salminen|Heinonen|Niemi|Heikkilä|Kinnunen|Salonen|Turunen|Salo|Laitinen|Tuominen|Rantanen|Karjalainen|\
Jokinen|Mattila|Savolainen|Lahtinen|Ahonen",
        generics: "Rakennus|Tekniikka|Palvelut|Kuljetus|Sähkö|Kiinteistöt|Konsultointi|Logistiikka|Group|Systems|\
Teollisuus",
        and: "ja",
    },
    CountryText {
        code: "PL",
        weight: 30,
        tld: "pl",
        com_percent: 10,
        cities: "Warszawa=Warsaw|Kraków=Cracow|Łódź|Wrocław|Poznań|Gdańsk|Szczecin|Bydgoszcz|Lublin|Białystok|Katowice|\
Gdynia|Częstochowa|Radom|Toruń|Sosnowiec|Rzeszów|Kielce|Gliwice|Olsztyn|Zabrze|Bielsko-Biała|Bytom|Zielona Góra|Rybnik|\
Opole|Tychy|Elbląg",
        legal: "Sp. z o.o.:65|S.A.:10|sp. k.:8|sp. j.:5|:12",
        surnames: "Nowak|Kowalski|Wiśniewski|Wójcik|Kowalczyk|Kamiński|Lewandowski|Zieliński|Szymański|Woźniak|\
Dąbrowski|Kozłowski|Jankowski|Mazur|Wojciechowski|Kwiatkowski|Krawczyk|Kaczmarek|Piotrowski|Grabowski|Zając|Pawłowski|\
Michalski|Król|Wieczorek|Jabłoński|Wróbel|Nowakowski|Majewski|Olszewski|Stępień|Malinowski|Jaworski|Adamczyk|Dudek|\
Nowicki|Pawlak|Górski|Witkowski|Walczak|Sikora|Baran|Rutkowski|Michalak|Szewczyk|Ostrowski|Tomaszewski|Pietrzak",
        generics: "Budownictwo|Usługi|Handel|Transport|Systemy|Technologie|Serwis|Logistyka|Instalacje|Elektro|\
Consulting|Inżynieria|Przedsiębiorstwo|Grupa",
        and: "i",
    },
    CountryText {
        code: "CZ",
        weight: 15,
        tld: "cz",
        com_percent: 10,
        cities: "Praha=Prague|Brno|Ostrava|Plzeň|Liberec|Olomouc|České Budějovice|Hradec Králové|Ústí nad Labem|Pardubice|\
Zlín|Havířov|Kladno|Most|Opava|Frýdek-Místek|Karviná|Jihlava|Teplice|Děčín",
        legal: "s.r.o.:75|a.s.:15|spol. s r.o.:5|:5",
        surnames: "Novák|Svoboda|Novotný|Dvořák|Černý|Procházka|Kučera|Veselý|Horák|Němec|Pokorný|Marek|Pospíšil|Hájek|\
Jelínek|Král|Růžička|Beneš|Fiala|Sedláček|Doležal|Zeman|Kolář|Navrátil|Čermák|Vaněk|Urban|Blažek|Kříž|Kovář",
        generics: "Stavby|Technika|Služby|Obchod|Doprava|Systémy|Elektro|Servis|Logistika|Strojírna|Group|Invest",
        and: "a",
    },
    CountryText {
        code: "HU",
        weight: 10,
        tld: "hu",
        com_percent: 10,
        cities: "Budapest|Debrecen|Szeged|Miskolc|Pécs|Győr|Nyíregyháza|Kecskemét|Székesfehérvár|Szombathely|Szolnok|\
Tatabánya|Kaposvár|Érd|Veszprém",
        legal: "Kft.:75|Zrt.:12|Bt.:6|Nyrt.:2|:5",
        surnames: "Nagy|Kovács|Tóth|Szabó|Horváth|Varga|Kiss|Molnár|Németh|Farkas|Balogh|Papp|Takács|Juhász|Lakatos|\
Mészáros|Oláh|Simon|Rácz|Fekete|Szilágyi|Török|Fehér|Balázs|Gál|Kis|Szűcs|Kocsis|Orsós|Pintér",
        generics: "Építő|Szolgáltató|Kereskedelmi|Technika|Informatika|Logisztika|Szállítmányozás|Ingatlan|Villamos|\
Gépészet",
        and: "és",
    },
    CountryText {
        code: "PT",
        weight: 15,
        tld: "pt",
        com_percent: 10,
        cities: "Lisboa=Lisbon|Porto|Vila Nova de Gaia|Amadora|Braga|Funchal|Coimbra|Setúbal|Almada|Queluz|Aveiro|Faro|\
Viseu|Leiria|Évora|Guimarães|Matosinhos|Odivelas|Barreiro",
        legal: "Lda.:65|S.A.:15|Unipessoal Lda.:10|:10",
        surnames: "Silva|Santos|Ferreira|Pereira|Oliveira|Costa|Rodrigues|Martins|Jesus|Sousa|Fernandes|Gonçalves|Gomes|\
Lopes|Marques|Alves|Almeida|Ribeiro|Pinto|Carvalho|Teixeira|Moreira|Correia|Mendes|Nunes|Soares|Vieira|Monteiro|Cardoso|\
Rocha",
        generics: PT_GENERICS,
        and: "e",
    },
    CountryText {
        code: "IE",
        weight: 10,
        tld: "ie",
        com_percent: 30,
        cities: "Dublin|Cork|Limerick|Galway|Waterford|Drogheda|Swords|Dundalk|Bray|Navan|Kilkenny|Ennis|Carlow|Tralee|\
Newbridge|Sligo|Athlone",
        legal: "Limited:45|Ltd:35|DAC:8|PLC:4|:8",
        surnames: "Murphy|Kelly|O'Sullivan|Walsh|Smith|O'Brien|Byrne|Ryan|O'Connor|O'Neill|O'Reilly|Doyle|McCarthy|\
Gallagher|O'Doherty|Kennedy|Lynch|Murray|Quinn|Moore|McLoughlin|O'Carroll|Connolly|Daly|O'Connell|Wilson|Dunne|Brennan|\
Burke|Collins|Campbell|Clarke|Johnston|Hughes|O'Farrell|Fitzgerald|Brown|Martin|Maguire|Nolan|Flynn|Thompson|\
O'Callaghan|O'Donnell|Duffy|O'Mahony|Boyle|Healy|O'Shea|White",
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "CA",
        weight: 30,
        tld: "ca",
        com_percent: 40,
        cities: "Toronto|Montréal=Montreal|Calgary|Ottawa|Edmonton|Winnipeg|Mississauga|Vancouver|Brampton|Hamilton|\
Québec=Quebec City|Surrey|Laval|Halifax|London|Markham|Vaughan|Gatineau|Saskatoon|Kitchener|Longueuil|Burnaby|Windsor|\
Regina|Oakville|Richmond Hill|Burlington|Oshawa|Sherbrooke|Victoria",
        legal: "Inc.:45|Ltd.:25|Corp.:10|Limited:8|Ltée:2|:10",
        surnames: "Smith|Brown|Tremblay|Martin|Roy|Wilson|Macdonald|Gagnon|Johnson|Taylor|Côté|Campbell|Anderson|\
Leblanc|Lee|Jones|White|Williams|Miller|Thompson|Gauthier|Young|Morin|Bouchard|Scott|Stewart|Bélanger|Reid|Pelletier|\
Moore|Lavoie|King|Robinson|Lévesque|Murphy|Fortin|Gagné|Wong|Clark|Ouellet",
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "AU",
        weight: 30,
        tld: "com.au",
        com_percent: 20,
        cities: "Sydney|Melbourne|Brisbane|Perth|Adelaide|Gold Coast|Newcastle|Canberra|Sunshine Coast|Wollongong|Hobart|\
Geelong|Townsville|Cairns|Darwin|Toowoomba|Ballarat|Bendigo|Albury|Launceston|Mackay|Rockhampton",
        legal: "Pty Ltd:70|Pty. Ltd.:12|Ltd:6|Pty Limited:4|:8",
        surnames: "Smith|Jones|Williams|Brown|Wilson|Taylor|Johnson|White|Martin|Anderson|Thompson|Nguyen|Thomas|\
Walker|Harris|Lee|Ryan|Robinson|Kelly|King|Davis|Wright|Evans|Roberts|Green|Hall|Wood|Jackson|Clarke|Patel|Khan|Lewis|\
James|Phillips|Mitchell|Turner|Campbell|Moore|Scott|Cooper",
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "NZ",
        weight: 5,
        tld: "co.nz",
        com_percent: 15,
        cities: "Auckland|Wellington|Christchurch|Hamilton|Tauranga|Dunedin|Palmerston North|Napier|Nelson|Rotorua|\
New Plymouth|Whangārei|Invercargill",
        legal: "Limited:60|Ltd:30|:10",
        surnames: "Smith|Wilson|Williams|Brown|Taylor|Jones|Singh|Anderson|Thompson|Walker|Harris|Martin|Clark|Young|\
Ngata|Parata|Tane|Walsh|King|Campbell",
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "SG",
        weight: 10,
        tld: "com.sg",
        com_percent: 30,
        cities: "Singapore",
        legal: "Pte. Ltd.:70|Pte Ltd:20|Ltd:5|:5",
        surnames: "Tan|Lim|Lee|Ng|Ong|Wong|Goh|Chua|Chan|Koh|Teo|Ang|Yeo|Tay|Ho|Low|Toh|Sim|Chong|Chia|Seah|Kumar|Singh|\
Lau|Foo|Leong|Yap|Chen|Wee|Loh",
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "IN",
        weight: 30,
        tld: "co.in",
        com_percent: 40,
        cities: "Mumbai=Bombay|Delhi|Bengaluru=Bangalore|Hyderabad|Ahmedabad|Chennai=Madras|Kolkata=Calcutta|Surat|Pune|\
Jaipur|Lucknow|Kanpur|Nagpur|Indore|Thane|Bhopal|Visakhapatnam|Patna|Vadodara|Ghaziabad|Ludhiana|Agra|Nashik|Faridabad|\
Meerut|Rajkot|Varanasi|Noida|Gurugram|Coimbatore|Kochi|Chandigarh|Mysuru",
        legal: "Private Limited:40|Pvt. Ltd.:35|Limited:10|LLP:7|:8",
        surnames: "Sharma|Patel|Singh|Kumar|Gupta|Shah|Mehta|Reddy|Rao|Iyer|Nair|Agarwal|Jain|Verma|Joshi|Mishra|Chopra|\
Malhotra|Kapoor|Bansal|Goel|Bhatia|Desai|Pillai|Menon|Chatterjee|Banerjee|Mukherjee|Das|Bose|Sinha|Pandey|Tiwari|Yadav|\
Chauhan|Thakur|Saxena|Arora|Khanna|Sethi",
        generics: "Infotech|Technologies|Solutions|Software|Systems|Enterprises|Industries|Exports|Traders|Consultants|\
Engineering|Infrastructure|Pharma|Logistics|Textiles|Services|Agencies|Chemicals|Motors|Foods",
        and: "and",
    },
    CountryText {
        code: "JP",
        weight: 50,
        tld: "co.jp",
        com_percent: 20,
        cities: "Tokyo|Yokohama|Osaka|Nagoya|Sapporo|Fukuoka|Kobe|Kawasaki|Kyoto|Saitama|Hiroshima|Sendai|Chiba|\
Kitakyushu|Sakai|Niigata|Hamamatsu|Kumamoto|Sagamihara|Shizuoka|Okayama|Kagoshima|Hachioji|Himeji|Utsunomiya|Matsuyama|\
Matsudo|Higashiosaka|Nishinomiya|Kanazawa|Oita|Kurashiki|Toyota|Nara|Takamatsu",
        legal: "Co., Ltd.:45|K.K.:15|Kabushiki Kaisha:10|Corporation:10|Inc.:10|:10",
        surnames: "Sato|Suzuki|Takahashi|Tanaka|Watanabe|Ito|Yamamoto|Nakamura|Kobayashi|Kato|Yoshida|Yamada|Sasaki|\
Yamaguchi|Matsumoto|Inoue|Kimura|Hayashi|Shimizu|Yamazaki|Mori|Abe|Ikeda|Hashimoto|Yamashita|Ishikawa|Nakajima|Maeda|\
Fujita|Ogawa|Goto|Okada|Hasegawa|Murakami|Kondo|Ishii|Saito|Sakamoto|Endo|Aoki|Fujii|Nishimura|Fukuda|Ota|Miura|\
Fujiwara|Okamoto|Matsuda|Nakagawa|Nakano",
        generics: "Shoji|Sangyo|Kogyo|Seisakusho|Denki|Kensetsu|Shokai|Unyu|Tsusho|Seiki|Kikai|Systems|Technology|\
Electronics|Engineering",
        and: "and",
    },
    CountryText {
        code: "KR",
        weight: 10,
        tld: "co.kr",
        com_percent: 30,
        cities: "Seoul|Busan|Incheon|Daegu|Daejeon|Gwangju|Suwon|Ulsan|Changwon|Goyang|Yongin|Seongnam",
        legal: "Co., Ltd.:70|Inc.:10|Corp.:10|:10",
        surnames: "Kim|Lee|Park|Choi|Jung|Kang|Cho|Yoon|Jang|Lim|Han|Oh|Seo|Shin|Kwon|Hwang|Ahn|Song|Yoo|Hong",
        generics: EN_GENERICS,
        and: "and",
    },
    CountryText {
        code: "BR",
        weight: 40,
        tld: "com.br",
        com_percent: 10,
        cities: "São Paulo|Rio de Janeiro|Brasília|Salvador|Fortaleza|Belo Horizonte|Manaus|Curitiba|Recife|Goiânia|Belém|\
Porto Alegre|Guarulhos|Campinas|São Luís|São Gonçalo|Maceió|Duque de Caxias|Natal|Teresina|Campo Grande|Nova Iguaçu|\
São Bernardo do Campo|João Pessoa|Santo André|Osasco|São José dos Campos|Ribeirão Preto|Uberlândia|Sorocaba|Contagem|\
Aracaju|Feira de Santana|Cuiabá|Joinville|Juiz de Fora|Londrina|Niterói|Florianópolis",
        legal: "Ltda.:60|S.A.:15|Ltda:10|EIRELI:5|:10",
        surnames: "Silva|Santos|Oliveira|Souza|Rodrigues|Ferreira|Alves|Pereira|Lima|Gomes|Costa|Ribeiro|Martins|\
Carvalho|Almeida|Lopes|Soares|Fernandes|Vieira|Barbosa|Rocha|Dias|Nascimento|Andrade|Moreira|Nunes|Marques|Machado|Mendes|\
Freitas|Cardoso|Ramos|Gonçalves|Santana|Teixeira|Araújo|Pinto|Correia|Cavalcanti|Monteiro",
        generics: PT_GENERICS,
        and: "e",
    },
    CountryText {
        code: "MX",
        weight: 20,
        tld: "com.mx",
        com_percent: 20,
        cities: "Ciudad de México=Mexico City|Guadalajara|Monterrey|Puebla|Tijuana|León|Juárez|Zapopan|Mérida|\
San Luis Potosí|Aguascalientes|Hermosillo|Saltillo|Mexicali|Culiacán|Querétaro|Chihuahua|Morelia|Toluca|Cancún|Torreón|\
Acapulco|Veracruz|Oaxaca",
        legal: "S.A. de C.V.:55|S. de R.L. de C.V.:20|S.A.:5|S.A.P.I. de C.V.:5|:15",
        surnames: ES_SURNAMES,
        generics: ES_GENERICS,
        and: "y",
    },
    CountryText {
        code: "AR",
        weight: 10,
        tld: "com.ar",
        com_percent: 15,
        cities: "Buenos Aires|Córdoba|Rosario|Mendoza|La Plata|San Miguel de Tucumán|Mar del Plata|Salta|Santa Fe|\
San Juan|Resistencia|Neuquén|Bahía Blanca|Posadas|Paraná",
        legal: "S.A.:40|S.R.L.:45|SAS:5|:10",
        surnames: ES_SURNAMES,
        generics: ES_GENERICS,
        and: "y",
    },
    CountryText {
        code: "TR",
        weight: 10,
        tld: "com.tr",
        com_percent: 20,
        cities: "İstanbul=Istanbul|Ankara|İzmir=Izmir|Bursa|Antalya|Konya|Adana|Gaziantep|Şanlıurfa|Kocaeli|Mersin|\
Diyarbakır|Kayseri|Eskişehir|Samsun",
        legal: "A.Ş.:40|Ltd. Şti.:50|:10",
        surnames: "Yılmaz|Kaya|Demir|Şahin|Çelik|Yıldız|Yıldırım|Öztürk|Aydın|Özdemir|Arslan|Doğan|Kılıç|Aslan|Çetin|\
Kara|Koç|Kurt|Özkan|Şimşek|Polat|Özcan|Korkmaz|Çakır|Erdoğan|Yavuz|Can|Acar|Şen|Aktaş",
        generics: "İnşaat|Tekstil|Gıda|Otomotiv|Makine|Lojistik|Ticaret|Sanayi|Enerji|Bilişim|Mühendislik|Turizm|\
Elektrik",
        and: "ve",
    },
    CountryText {
        code: "ZA",
        weight: 10,
        tld: "co.za",
        com_percent: 15,
        cities: "Johannesburg|Cape Town|Durban|Pretoria|Gqeberha|Bloemfontein|East London|Pietermaritzburg|Polokwane|\
Mbombela|Kimberley|Rustenburg|George|Stellenbosch",
        legal: "(Pty) Ltd:75|Ltd:10|Inc.:5|CC:5|:5",
        surnames: "Nkosi|Dlamini|Ndlovu|Khumalo|Mokoena|Mahlangu|Botha|Van der Merwe|Naidoo|Pillay|Smith|Mthembu|Nel|\
Pretorius|Du Plessis|Venter|Zulu|Sithole|Ngcobo|Govender|Coetzee|Van Wyk|Jacobs|Le Roux|Fourie|Steyn|Kruger|Meyer|\
Swanepoel|Joubert",
        generics: EN_GENERICS,
        and: "and",
    },
];

/// English words for two-word brand names ("Blue Harbor", "Summit Peak").
pub const BRAND_WORDS: &str = "Blue|Red|Green|Silver|Golden|Black|White|Bright|Clear|Swift|True|Prime|Apex|Summit|\
Peak|Harbor|River|Lake|Ocean|Stone|Iron|Oak|Pine|Cedar|Maple|Falcon|Eagle|Fox|Wolf|Bear|Lion|Star|Sun|Moon|Sky|Cloud|\
North|South|East|West|Nordic|Alpine|Pacific|Atlantic|Coastal|Metro|Urban|Pioneer|Frontier|Liberty|Heritage|Crown|Royal|\
Noble|Vertex|Vector|Quantum|Nova|Orbit|Pixel|Matrix|Fusion|Spark|Bridge|Gate|Tower|Anchor|Compass|Beacon|Horizon|\
Evergreen|Sterling|Keystone|Cornerstone|Lighthouse|Redwood|Bluewater|Highland|Lakeside|Riverside|Westfield|Northgate|\
Southpoint|Eastwood|Fairview|Greenfield|Brookfield|Springfield|Oakridge|Pinecrest|Silverline|Goldline|Bluebird|Redstone|\
Ironwood|Stonebridge|Arrow|Atlas|Delta|Echo|Everest|Glacier|Granite|Harvest|Meridian|Monarch|Pinnacle|Sapphire|Titan|\
Trident|Zenith|Aurora|Cobalt|Crimson|Emerald|Ivory|Jade|Onyx|Ruby|Amber|Copper|Bronze|Canyon|Prairie|Meadow|Willow";

/// Syllables for invented brand names ("Varnex", "Kolbrin").
pub const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "qu", "r",
    "s", "st", "sk", "t", "tr", "v", "w", "z", "x", "sh", "th", "bl", "cl", "pl", "sl", "sn", "sp", "tw", "vr",
];
pub const VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "io", "ou", "y", "ia", "ei",
];
pub const CODAS: &[&str] = &[
    "", "", "", "", "n", "r", "l", "s", "x", "m", "t", "k", "nd", "rt", "st", "th", "ck", "nt", "ll", "ss", "rn", "lt",
];

/// Short forms partners write for generic words (and the other way round).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("International", "Intl"),
    ("International", "Int'l"),
    ("Technologies", "Tech"),
    ("Technology", "Tech"),
    ("Systems", "Sys"),
    ("Services", "Svcs"),
    ("Manufacturing", "Mfg"),
    ("Group", "Grp"),
    ("Associates", "Assoc"),
    ("Brothers", "Bros"),
    ("Laboratories", "Labs"),
    ("Engineering", "Eng"),
    ("Management", "Mgmt"),
    ("Industries", "Ind"),
    ("Holdings", "Hldgs"),
    ("Development", "Dev"),
    ("Distribution", "Dist"),
    ("Pharmaceuticals", "Pharma"),
    ("Communications", "Comms"),
    ("Marketing", "Mktg"),
    ("Solutions", "Soln"),
];

/// Other spellings of legal forms: what a partner may type for the form on file.
pub const LEGAL_SPELLINGS: &[(&str, &str)] = &[
    ("GmbH", "G.m.b.H.|Gmbh|GMBH"),
    (
        "GmbH & Co. KG",
        "GmbH & Co KG|GmbH u. Co. KG|GmbH und Co. KG|GMBH & CO. KG",
    ),
    ("UG (haftungsbeschränkt)", "UG|UG (haftungsbeschraenkt)"),
    ("e.K.", "eK|e. K."),
    ("Inc.", "Inc|Incorporated|INC."),
    ("LLC", "L.L.C.|Llc|L.L.C"),
    ("Corp.", "Corp|Corporation"),
    ("Corporation", "Corp.|Corp"),
    ("Co.", "Co|Company"),
    ("Ltd", "Limited|Ltd.|LTD"),
    ("Ltd.", "Ltd|Limited"),
    ("Limited", "Ltd|Ltd."),
    ("PLC", "plc|Public Limited Company"),
    ("S.A.", "SA|S.A|S. A."),
    ("SA", "S.A."),
    ("SAS", "S.A.S.|Sas"),
    ("SARL", "S.à r.l.|S.A.R.L.|Sarl|S.a.r.l."),
    ("Sàrl", "SARL|S.à r.l."),
    ("B.V.", "BV|B.V|bv"),
    ("BV", "B.V."),
    ("N.V.", "NV"),
    ("S.r.l.", "Srl|S.R.L.|SRL"),
    ("Srl", "S.r.l."),
    ("S.p.A.", "SpA|S.P.A.|Spa"),
    ("S.L.", "SL|S.L|Sl"),
    ("S.L.U.", "SLU|S.L."),
    ("Sp. z o.o.", "sp. z o. o.|Sp.z o.o.|spółka z o.o.|SP. Z O.O."),
    ("s.r.o.", "s. r. o.|S.R.O.|sro"),
    ("a.s.", "a. s.|A.S."),
    ("Kft.", "Kft|KFT"),
    ("Zrt.", "Zrt|ZRT"),
    ("Oy", "OY|oy"),
    ("Oyj", "OYJ"),
    ("AB", "Ab"),
    ("A/S", "AS|A.S."),
    ("ApS", "APS|Aps"),
    ("AS", "A/S|A.S."),
    ("Pty Ltd", "Pty. Ltd.|Pty Limited|PTY LTD|Pty. Limited"),
    ("Pty. Ltd.", "Pty Ltd|PTY. LTD."),
    ("Pte. Ltd.", "Pte Ltd|PTE. LTD.|Private Limited"),
    ("Pte Ltd", "Pte. Ltd."),
    ("Co., Ltd.", "Co. Ltd|Co Ltd|Company Limited|CO., LTD."),
    ("K.K.", "KK|Kabushiki Kaisha"),
    ("Kabushiki Kaisha", "K.K.|KK"),
    ("S.A. de C.V.", "SA de CV|S.A. de CV|S.A. DE C.V."),
    ("S. de R.L. de C.V.", "S de RL de CV|S. de R.L."),
    ("Ltda.", "Ltda|LTDA"),
    ("Lda.", "Lda|LDA"),
    ("A.Ş.", "AŞ|A.S.|A.Ş"),
    ("Ltd. Şti.", "Ltd. Sti.|Ltd Şti|LTD. ŞTİ."),
    ("(Pty) Ltd", "Pty Ltd|(PTY) LTD|(Pty) Limited"),
    ("Private Limited", "Pvt. Ltd.|Pvt Ltd|Pvt. Limited"),
    ("Pvt. Ltd.", "Private Limited|Pvt Ltd"),
    ("S.R.L.", "SRL|S.r.l."),
];

/// First names for e-mail addresses.
pub const FIRST_NAMES: &str = "anna|ben|carla|david|elena|felix|grace|hugo|ines|jonas|kate|luca|maria|nils|olga|paul|\
quinn|rosa|sam|tom|ursula|victor|wei|yuki|zoe|ahmed|priya|lars|sofia|mateo";

/// Mailboxes that are not a person.
pub const ROLE_MAILBOXES: &str = "info|purchasing|procurement|it|office|einkauf|achats|compras|acquisti|admin";

/// Free-mail providers partners' contacts use.
pub const FREE_MAIL: &str = "gmail.com|gmail.com|gmail.com|outlook.com|hotmail.com|yahoo.com|gmx.de|web.de|orange.fr|\
libero.it|yahoo.co.jp|icloud.com|proton.me|hotmail.co.uk|qq.com";
