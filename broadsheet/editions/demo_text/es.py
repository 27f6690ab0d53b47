"""The Spanish edition's demo copy (Madrid time: the desk sits in Madrid;
Latin American readers get dates in that zone too, as many agencies do)."""

from . import EditionText, Live, Story

TRANSLATIONS = {
    "border": Story(
        title="Valdoria y la República de Orlan reabren su frontera tras dos años",
        standfirst="Cuatro pasos fronterizos se abren el lunes a coches y mercancías y "
        "ponen fin a un cierre que separó familias y dejó a los agricultores sin mercados.",
        dateline="Valdoria",
        body=(
            "Valdoria y la República de Orlan reabrieron el lunes cuatro pasos fronterizos, "
            "dos años después de que una disputa por el agua cerrara la frontera.",
            "Los primeros camiones, la mayoría cargados de grano, cruzaron al amanecer. "
            "Según funcionarios de ambos lados, las colas se formaron durante la noche.",
            (
                "q",
                "Hoy la gente puede visitar a sus familiares sin un desvío de tres días.",
                "Ines Castell",
                "Alcaldesa de un pueblo fronterizo",
            ),
            "El acuerdo firmado el mes pasado crea una comisión conjunta sobre el río Sarn, "
            "cuyas aguas usan ambos países para el riego.",
        ),
    ),
    "harbour": Story(
        title="El puerto de Port Meren abrirá de noche ante el aumento de las exportaciones",
        standfirst="La autoridad portuaria operará las grúas las 24 horas desde el mes que "
        "viene, tras un alza de una quinta parte en las exportaciones.",
        dateline="Port Meren",
        body=(
            "Port Meren mantendrá abiertas de noche sus terminales de contenedores y de "
            "grano a partir del mes que viene, anunció el martes la autoridad portuaria.",
            "Las exportaciones de grano por el puerto han crecido un 21 % desde enero, y "
            "los buques esperan una media de cuatro días para atracar.",
            (
                "q",
                "Cada día que un barco espera fondeado le cuesta miles a su armador.",
                "Pavel Novak",
                "Director de la autoridad portuaria",
            ),
            "Los sindicatos de estibadores aceptaron los nuevos turnos a cambio de una "
            "subida salarial y dos días más de vacaciones al año.",
        ),
    ),
    "glacier": Story(
        title="Científicos de Norvik cartografían el glaciar que se derrite sobre la bahía "
        "de Tessin",
        standfirst="Drones y un siglo de fotografías muestran que el hielo ha retrocedido "
        "casi dos kilómetros desde 1925.",
        dateline="Norvik",
        body=(
            "Investigadores de la Universidad de Norvik han publicado el mapa más detallado "
            "hasta la fecha del glaciar que domina la bahía de Tessin.",
            "Al comparar vuelos de drones con fotografías tomadas desde 1925, hallaron que "
            "el frente de hielo ha retrocedido 1,9 kilómetros, la mitad en los últimos "
            "treinta años.",
            (
                "q",
                "El glaciar alimenta los ríos de los que bebe todo el valle.",
                "Sana Lindgren",
                "Glacióloga",
            ),
            "El equipo compartirá sus datos con la agencia regional del agua, que planea "
            "nuevos embalses para los veranos secos.",
        ),
    ),
    "cup": Story(
        title="El Almara gana la copa nacional con un penalti en el descuento",
        standfirst="Un lanzamiento desde los once metros en el último minuto derrotó 2-1 "
        "al Caldera City y dio al Almara su primer título en dieciocho años.",
        dateline="Almara",
        body=(
            "El Almara ganó el sábado la copa nacional al vencer 2-1 al Caldera City con un "
            "penalti en el cuarto minuto del tiempo añadido.",
            "El Caldera City ganaba desde la primera parte. El Almara empató a falta de "
            "veinte minutos y siguió presionando hasta que el árbitro señaló el punto.",
            (
                "q",
                "Dieciocho años es mucho tiempo. Esta noche celebra toda la ciudad.",
                "Kofi Ibarra",
                "Capitán del Almara",
            ),
            "Miles de aficionados se reunieron en la plaza del casco antiguo para recibir "
            "el autobús del equipo el sábado por la noche.",
        ),
    ),
    "school-week": Story(
        title="El Parlamento de Valdoria aprueba ensayar la semana escolar de cuatro días",
        standfirst="Cuarenta colegios darán clase cuatro días más largos a la semana desde "
        "septiembre; los sindicatos docentes lo apoyan y las familias están divididas.",
        dateline="Valdoria",
        body=(
            "El Parlamento de Valdoria votó el miércoles permitir que cuarenta colegios "
            "impartan cuatro jornadas más largas a la semana durante dos años, desde "
            "septiembre.",
            "El Ministerio de Educación afirma que el ensayo mostrará si un quinto día libre "
            "reduce el absentismo y el agotamiento de los docentes.",
            (
                "q",
                "Lo mediremos todo, y si no funciona, pararemos.",
                "Mira Sørensen",
                "Ministra de Educación",
            ),
            "Las asociaciones de padres están divididas: unas celebran el fin de semana "
            "largo y otras se preguntan quién cuidará de los más pequeños los viernes.",
        ),
    ),
}

ORIGINALS = (
    Story(
        section="world",
        dateline="Brisa",
        title="Brisa inaugura un mercado nocturno en el antiguo muelle pesquero",
        standfirst="Cuarenta puestos de comida y artesanía abrirán de jueves a domingo "
        "hasta la medianoche.",
        body=(
            "El antiguo muelle pesquero de Brisa acoge desde este jueves un mercado nocturno "
            "con cuarenta puestos.",
            "El ayuntamiento espera atraer a los visitantes que llegan en los ferris de la "
            "tarde desde las islas Kestrel.",
            "El mercado abrirá de jueves a domingo hasta la medianoche durante todo el verano.",
        ),
        tags=("Culture", "Trade"),
    ),
    Story(
        section="politics",
        dateline="Caldera City",
        title="La oposición de Caldera City pide adelantar las elecciones municipales",
        standfirst="Los tres partidos de la oposición reclaman las urnas tras la dimisión "
        "del concejal de Urbanismo.",
        body=(
            "Los tres partidos de la oposición de Caldera City pidieron el martes adelantar "
            "las elecciones municipales.",
            "La petición llega una semana después de la dimisión del concejal de Urbanismo "
            "por la adjudicación de un aparcamiento.",
            "El alcalde respondió que agotará el mandato y que la investigación interna "
            "concluirá en un mes.",
        ),
        tags=("Elections",),
    ),
    Story(
        section="business",
        dateline="Almara",
        title="Las cooperativas de aceite de Almara exportan por primera vez a Norvik",
        standfirst="El primer contenedor, con 18 toneladas de aceite de oliva, salió el "
        "lunes desde Port Meren.",
        body=(
            "Cinco cooperativas de aceite de la comarca de Almara enviaron el lunes su "
            "primer contenedor a Norvik.",
            "El cargamento, de 18 toneladas, salió desde Port Meren y llegará en diez días.",
            "Las cooperativas esperan vender en el norte una cuarta parte de su producción "
            "dentro de tres años.",
        ),
        tags=("Trade", "Food security"),
    ),
    Story(
        section="science-tech",
        dateline="Valdoria",
        title="Un satélite valdoriense vigilará la sequía desde el espacio",
        standfirst="El aparato, del tamaño de una caja de zapatos, medirá la humedad del "
        "suelo en todo el valle del Sarn.",
        body=(
            "Valdoria lanzará en primavera su primer satélite de observación agrícola, del "
            "tamaño de una caja de zapatos.",
            "El aparato medirá cada tres días la humedad del suelo en el valle del Sarn.",
            "Los datos serán públicos y gratuitos para los agricultores, según la agencia "
            "espacial.",
        ),
        tags=("Space", "Climate"),
    ),
    Story(
        section="sport",
        dateline="Port Meren",
        title="La regata de Port Meren bate su récord de participantes",
        standfirst="Más de doscientas embarcaciones tomaron la salida en una mañana de "
        "viento fuerte.",
        body=(
            "La regata anual de Port Meren reunió este domingo a más de doscientas "
            "embarcaciones, un récord.",
            "El viento del norte, con rachas de 40 kilómetros por hora, obligó a acortar el "
            "recorrido.",
            "La tripulación local del Gaviota ganó en la categoría de cruceros.",
        ),
        tags=("Culture",),
    ),
    Story(
        section="opinion",
        kind="opinion",
        title="El tren nocturno merece una segunda oportunidad",
        standfirst="Volar entre Almara y Norvik es más rápido, pero no siempre mejor.",
        body=(
            "Hace diez años se suprimió el tren nocturno entre Almara y Norvik por falta de "
            "viajeros.",
            "Hoy las cosas han cambiado: los precios de los vuelos suben y muchos viajeros "
            "buscan alternativas.",
            "Un ensayo de dos temporadas costaría menos que ampliar una sola terminal.",
        ),
        tags=("Climate", "Energy"),
    ),
    Story(
        section="off-beat",
        kind="offbeat",
        dateline="Norvik",
        title="Una biblioteca de Norvik devuelve la multa de un libro prestado en 1961",
        standfirst="El lector, hoy jubilado, lo encontró en el desván al mudarse.",
        body=(
            "La biblioteca municipal de Norvik ha recibido un libro prestado en 1961.",
            "El lector, hoy jubilado, lo encontró en el desván y lo devolvió con una carta "
            "de disculpa.",
            "La biblioteca le perdonó la multa y expondrá el libro en su vestíbulo.",
        ),
        tags=("Culture",),
    ),
    Story(
        section="world",
        dateline="Islas Kestrel",
        title="Las islas Kestrel abren su primera escuela de medicina",
        standfirst="Cuarenta estudiantes empezarán en octubre; la mitad de las plazas se "
        "reservan a residentes.",
        body=(
            "Las islas Kestrel tendrán en octubre su primera facultad de medicina.",
            "La mitad de las cuarenta plazas se reservan a jóvenes de las islas, que hasta "
            "ahora debían estudiar en el continente.",
            "El gobierno insular espera así cubrir las vacantes de médicos rurales.",
        ),
        tags=("Health",),
    ),
)

EDITION = EditionText(
    language="es",
    time_zone="Europe/Madrid",
    tagline="Las noticias del mundo, con rigor y al minuto",
    home_slug="home-es",
    sections={
        "world": ("Mundo", "mundo", "Noticias de todos los continentes, al momento."),
        "politics": ("Política", "politica", "Gobiernos, elecciones y quienes mandan."),
        "business": ("Economía", "economia", "Mercados, empresas y economía."),
        "science-tech": (
            "Ciencia y tecnología",
            "ciencia-y-tecnologia",
            "Descubrimientos, tecnología y el planeta.",
        ),
        "sport": ("Deportes", "deportes", "Resultados, fichajes y las historias detrás."),
        "opinion": ("Opinión", "opinion", "Columnas y análisis de nuestras firmas."),
        "off-beat": ("Curiosidades", "curiosidades", "Lo raro, lo divertido y lo inesperado."),
        "multimedia": ("Multimedia", "multimedia", "Las noticias en fotos y vídeo."),
    },
    authors_index=("Autores", "autores"),
    topics_index=("Temas", "temas"),
    tags={
        "Elections": ("Elecciones", "elecciones"),
        "Climate": ("Clima", "clima"),
        "Trade": ("Comercio", "comercio"),
        "Energy": ("Energía", "energia"),
        "Health": ("Salud", "salud"),
        "Migration": ("Migración", "migracion"),
        "Football": ("Fútbol", "futbol"),
        "Space": ("Espacio", "espacio"),
        "Artificial intelligence": ("Inteligencia artificial", "inteligencia-artificial"),
        "Diplomacy": ("Diplomacia", "diplomacia"),
        "Food security": ("Seguridad alimentaria", "seguridad-alimentaria"),
        "Culture": ("Cultura", "cultura"),
    },
    authors_translated={
        "Amara Okafor": (
            "Amara Okafor",
            "amara-okafor",
            "Editora de Internacional",
            "Amara Okafor escribe sobre política internacional para Broadsheet.",
        ),
        "Jonas Castell": (
            "Jonas Castell",
            "jonas-castell",
            "Corresponsal político",
            "Jonas Castell cubre el Parlamento y las elecciones.",
        ),
    },  # fmt: skip
    authors_local=(
        (
            "Lucía Ferrer",
            "lucia-ferrer",
            "Jefa de la edición en español",
            "Lucía Ferrer dirige la edición en español de Broadsheet.",
        ),
        (
            "Diego Albarrán",
            "diego-albarran",
            "Redactor",
            "Diego Albarrán escribe sobre economía y deportes.",
        ),
        (
            "Marta Quintana",
            "marta-quintana",
            "Traductora y editora",
            "Marta Quintana traduce y edita las noticias de la agencia.",
        ),
    ),  # fmt: skip
    gallery=(
        "La semana en imágenes",
        "la-semana-en-imagenes",
        "Siete días de noticias, de las colinas de Valdoria al puerto de Port Meren.",
    ),
    translations=TRANSLATIONS,
    originals=ORIGINALS,
    live=Live(
        title="Directo: cumbre del puerto en Port Meren",
        slug="directo-cumbre-del-puerto-en-port-meren",
        standfirst="Ministros de once países debaten el futuro del puerto y sus rutas "
        "comerciales, con protestas en el exterior. Siga la jornada en directo.",
        dateline="Port Meren",
        body=(
            "La cumbre se celebra en el palacio de congresos del puerto; las delegaciones "
            "discuten aranceles, esperas de los buques y la protección de la costa.",
        ),
        key_points=(
            "Delegaciones de once países se reúnen en Port Meren.",
            "Los ferris quedan suspendidos hasta la tarde.",
            "Circula entre las delegaciones un borrador de declaración.",
        ),
        posts=(
            ("Llegan las delegaciones", "Las primeras delegaciones llegaron al amanecer."),
            ("", "Varios cientos de manifestantes se concentran ante el palacio de congresos."),
            ("", "Los ferris a las islas Kestrel no saldrán hasta la tarde."),
            ("Primera sesión", "La primera sesión terminó sin declaración a la prensa."),
            ("", "La policía amplía el perímetro de seguridad en el paseo marítimo."),
            ("Qué se negocia", "El borrador incluye reglas comunes para las esperas."),
        ),
    ),
    readers=(("lucia_m", "Lucía M."), ("javier", "Javier Soto")),
    comments=(
        "Muy buen resumen, por fin entiendo qué cambia.",
        "¿Dónde se puede leer el texto completo del acuerdo?",
        "Vivo cerca de la frontera y las colas empezaron de madrugada, tal cual.",
        "Las cifras no cuadran con el informe del ministerio. ¿Cuáles son las buenas?",
    ),
    chat=(
        "Mundo: la tertulia",
        "es-mundo",
        "Lo que pasa en el mundo, comentado entre todos.",
        (
            "¡Buenos días! ¿Alguien sigue la cumbre de Port Meren?",
            "Sí, el directo empezó a las seis.",
            "Hoy no hay ferris, lo he mirado.",
            "A ver si firman la declaración esta tarde.",
            "La última vez tardaron tres días.",
            "El mapa de la noticia ayuda mucho.",
            "¿Alguien sabe cuándo reabre la línea norte?",
            "Dicen que para el fin de semana.",
            "¡Gracias!",
            "Buen día a todos.",
        ),
    ),
    digest_list=(
        "daily-digest-es",
        "Lo más importante del día",
        "Las noticias clave del día, cada mañana.",
    ),
    breaking_list=(
        "breaking-news-es",
        "Última hora",
        "Las grandes noticias en cuanto ocurren. Pocas veces al mes.",
    ),
)
