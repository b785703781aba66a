"""Warning signs as US Spanish-speaking patients write them (lower case, no accents: "ñ" reads "n",
"orine" is "oriné"; see __init__)."""

from __future__ import annotations

from typing import Any

PHRASES: dict[str, Any] = {
    "language": "es",
    "replace": {"&": " y ", "+": " y "},
    "words": {
        "stop": r"no|ni|nunca|jamas|sin|tampoco|nada|ningun\w*|pero|aunque|porque",
        "art": r"(?:el |la |los |las |mi |mis |un |una |del |al )?",
        "adormec": (
            r"adormec\w*|adormil\w*|dormid[oa]s?|entumid\w*|entumec\w*|entumi\w*|entume\w*|"
            r"hormigue\w*|hormiguit\w*|cosquill\w*|piquetitos|agujitas|alfileres|"
            r"sin sensibilidad|sin sentir|sin sensacion|insensible\w*|muert[oa]s?|"
            r"perdi (?:la |toda la )?(?:sensibilidad|sensacion)|"
            r"no (?:tengo|siento) (?:nada de )?(?:sensibilidad|sensacion)|no siento nada|"
            r"como (?:de )?(?:madera|carton|hule|goma)|"
            r"como si (?:no )?(?:fueran|fuera) (?:de otra persona|mias?|de madera|de carton)"
        ),
        # "se me duermen las nalgas", "se me entumio la pierna", "me hormiguean los pies".
        "adormecverbo": (
            r"se (?:me |le )?(?:ha |han |esta |estan )?(?:duerme|duermen|durmio|durmieron|dormido|"
            r"durmiendo|adormece|adormecen|adormecio|adormecieron|adormecido|entume|entumen|entumio|"
            r"entumieron|entumecio|entumecieron|entumido|entumecido)|"
            r"me (?:hormiguea|hormiguean|hormigueo|cosquillea|cosquillean)"
        ),
        "silla": (
            r"nalga\w*|pompis|pompas|pompa|pompi|trasero|colita|cola|sentaderas|asentaderas|"
            r"gluteos?|ingle\w*|entrepierna\w*|partes? (?:intimas?|privadas?|de abajo)|genital\w*|"
            r"vagina\w*|vulva|pene|testicul\w*|escroto|perine\w*|recto|"
            r"(?:alla|ahi|aca|alli) abajo|entre (?:las|mis) piernas|"
            r"(?:parte|cara|lado) (?:de )?(?:adentro|dentro|interna|interior) de (?:los|mis) muslos|"
            r"muslos? por dentro|donde me siento|silla de montar|zona (?:intima|genital)|(?:mis|las) partes"
        ),
        "pierna": (
            r"piernas?|pies?|dedos del pie|dedos de los pies|tobillos?|pantorrillas?|chamorros?|"
            r"muslos?|rodillas?|talon\w*|plantas? de(?:l| los) pies?|empeine"
        ),
        "orina": r"orina\w*|orines|pipi|pis|popo|caca|excremento|heces|del bano|del uno|del dos",
        "sitio": (
            r"(?:sitio|lugar|zona|area|parte|punto|herida|hoyito) (?:de|del|donde) (?:la )?"
            r"(?:inyeccion|pinchazo|piquete|aguja|me (?:inyectaron|picaron|pusieron|pincharon))|"
            r"donde (?:me )?(?:inyectaron|picaron|pincharon|pusieron (?:la )?(?:inyeccion|aguja)|"
            r"dieron la inyeccion)|donde (?:entro|metieron) la aguja|"
            r"inyeccion|piquete|pinchazo|herida|curita|vendaje|gasa|venda|parche|sitio|lugar|zona"
        ),
        "sitiosigno": (
            r"roj[oa]s?|rojiz[oa]s?|enrojecid[oa]s?|enrojecimiento|colorad[oa]s?|calient\w*|"
            r"hinchad[oa]s?|hinchazon|inflamad[oa]s?|inflamacion|infectad[oa]s?|infecto|"
            r"supura\w*|pus|con materia|duro y rojo"
        ),
        "cabeza": (
            r"dolor\w* de cabeza|(?:me )?(?:duele|dolia|dolio) (?:mucho |muchisimo |horrible |"
            r"bien feo |demasiado |bastante )?la cabeza|jaqueca\w*|migrana\w*|cefalea|"
            r"la cabeza (?:me )?(?:duele|esta matando|va a explotar|punza|late|revienta)"
        ),
        "acostado": (
            r"acost\w*|acuest\w*|recost\w*|recuest\w*|me tiro|echad[oa]|"
            r"(?:estoy|este|quedo) (?:acostad|tirad)[oa]"
        ),
        "derecho": (
            r"(?:me )?(?:siento|sentarme|sentada|sentado|levanto|levantarme|levantada|levantado|"
            r"paro|pararme|parada|parado|incorporo|pongo de pie)|estoy (?:sentad|parad|de pie)\w*|de pie"
        ),
    },
    "findings": {
        "saddle_numbness": {
            "patterns": [
                r"<silla> <gap3><adormec>",
                r"<adormec> <gap4><silla>",
                r"<adormecverbo> <art><silla>",
                (
                    r"no siento (?:nada|el papel|la mano|el asiento|el inodoro|la taza) <gap3>"
                    r"(?:cuando|al) (?:me )?(?:limpio|limpiarme|siento|sentarme)"
                ),
                r"no siento (?:el papel|el asiento|la taza|el inodoro)",
                r"no siento <art><silla>",
            ],
        },
        "bladder_bowel": {
            "patterns": [
                (
                    r"no (?:puedo|he podido|pude|podia|me deja|logro|consigo) (?:hacer )?(?:orinar|pipi|pis|"
                    r"popo|del bano|del uno|del dos|obrar|evacuar|ir al bano|defecar)"
                ),
                (
                    r"(?:me )?(?:orine|orino|hice|hago|hizo) (?:pipi |pis |popo |del bano |caca )?"
                    r"(?:encima|en (?:los|mis|la|mi) (?:pantalones|calzones|ropa|cama|chones|pants))"
                ),
                r"me (?:hice|hago|estoy haciendo) (?:pipi|pis|popo|caca|del bano)",
                r"me (?:orine|orino|orinaba|he orinado|estoy orinando)",
                (
                    r"se me (?:sale|salio|salen|salieron|escapa|escapo|escapan|escaparon|fue|va) <art>"
                    r"(?:orina|pipi|pis|popo|orines|caca|excremento)"
                ),
                (
                    r"no (?:aguanto|controlo|puedo (?:aguantar|controlar|detener|retener)|"
                    r"tengo control (?:de|sobre)) <art>(?:<orina>|vejiga|intestino|esfinter|ganas)"
                ),
                r"no (?:controlo|puedo controlar) (?:cuando|si|donde) (?:voy|orino|hago)",
                (
                    r"perd\w* (?:el )?control (?:de |sobre |del )<art>(?:vejiga|orina|intestinos?|"
                    r"esfinter\w*|"
                    r"bano|<orina>)"
                ),
                r"moj\w* (?:la cama|los pantalones|la ropa|mis pantalones|el colchon|los calzones)",
                r"(?:me )?cuesta (?:mucho )?(?:trabajo )?(?:empezar a |comenzar a )?(?:orinar|hacer pipi)",
                r"dificultad (?:para|al) (?:orinar|hacer pipi)",
                r"orinar (?:pero |y )?no (?:me )?sale",
                (
                    r"no (?:me )?sale (?:la |el )?(?:orina|pipi|pis|popo)|(?:sale|salen) (?:muy )?poc[ao] "
                    r"(?:de )?"
                    r"(?:orina|pipi)|orino (?:muy )?poquito|orino (?:muy )?poco"
                ),
                r"no (?:he|ha) (?:podido )?(?:orinado|hecho pipi|hecho del bano|obrado)",
                r"no (?:llego|llegue|alcanzo|alcance|alcanzo a llegar|alcance a llegar) al bano",
                r"no siento (?:cuando|si) (?:tengo|necesito) (?:que |ganas de )?(?:ir al bano|orinar|hacer)",
                r"incontinencia|accidente (?:con la orina|en (?:los|mis) pantalones|en la cama)",
            ],
        },
        "leg_weakness": {
            "patterns": [
                (
                    r"se me (?:dobla|doblan|doblo|doblaron|vence|vencen|vencio|vencieron|va|fue|falla|"
                    r"fallo|cae|cayo|afloja|aflojan|aflojo) <art><pierna>"
                ),
                r"<pierna> <gap2>se me (?:dobl\w*|venc\w*|va|fue|cae|cayo|afloj\w*)",
                r"me (?:falla|fallan|fallo|fallaron) <art><pierna>",
                r"arrastr\w* <art><pierna>|<pierna> <gap2>arrastr\w*|pie caido",
                (
                    r"no (?:puedo|me puedo|podia|pude) (?:levantar|mover|alzar|subir|doblar|sentir|"
                    r"controlar) <art><pierna>"
                ),
                (
                    r"no (?:puedo|me puedo|podia|pude) (?:parar|pararme|poner|ponerme|caminar|estar) "
                    r"(?:de|en) (?:puntitas|puntas|puntillas|talones)"
                ),
                (
                    r"<pierna> <gap3>(?:debil\w*|sin fuerza|flojas?|flojit\w*|como de trapo|de trapo|"
                    r"de gelatina|aguad\w*|no me sostiene\w*|no me aguanta\w*)"
                ),
                (
                    r"(?:debilidad|sin fuerzas?|no tengo fuerzas?|perdi (?:la )?fuerzas?|falta de fuerzas?) "
                    r"<gap2>"
                    r"(?:en |de )?<art><pierna>"
                ),
                r"(?:me )?tropiezo con <art>pie|se me atora <art>pie",
                r"<pierna> <gap2>no (?:me )?(?:responde\w*|obedece\w*|sostiene\w*|aguanta\w*|funciona\w*)",
            ],
        },
        "leg_numbness": {
            "patterns": [
                r"<pierna> <gap3><adormec>",
                r"<adormec> <gap4><pierna>",
                r"<adormecverbo> <art><pierna>",
                r"no siento <art><pierna>",
            ],
            "unless": [
                (
                    r"entre (?:las|mis) piernas|muslos? por dentro|"
                    r"(?:parte|cara|lado) (?:de )?(?:adentro|dentro|interna|interior) de (?:los|mis) muslos"
                )
            ],
        },
        "chest_pain": {
            "patterns": [
                (
                    r"(?:dolor|dolores|presion|opresion|ardor|punzada\w*|apreton|peso) <gap2>"
                    r"(?:en el |del |en mi )?pecho"
                ),
                (
                    r"(?:me )?(?:duele|dolia|dolio|aprieta|apretaba|oprime|pesa|arde|punza) (?:mucho |"
                    r"muchisimo )?"
                    r"el pecho"
                ),
                r"pecho <gap2>(?:apretado|duele|dolor|oprimido|pesado|presion)",
                r"silbido en el pecho",
            ],
        },
        "breathing_trouble": {
            "patterns": [
                r"(?:me )?(?:falta|faltaba|falto) (?:el )?aire|falta de (?:aire|respiracion)",
                r"no (?:puedo|podia|pude) respirar|no me entra (?:el )?aire",
                (
                    r"(?:me )?(?:cuesta|costaba|cuesta trabajo|dificulta) respirar|"
                    r"dificultad (?:para|al) respirar"
                ),
                r"(?:me )?ahog\w*",
                r"(?:me )?(?:duele|dolia) (?:al|cuando) respir\w*",
                r"respiro (?:con dificultad|mal|poco)|(?:me quedo )?sin aire",
                r"(?:respiro|respirar|respiracion) <gap3>(?:dificultad|dificil|cortad\w*|corta|agitad\w*)",
                (
                    r"(?:me )?cuesta (?:mucho )?(?:trabajo )?(?:jalar|agarrar|tomar|meter) (?:el )?aire|"
                    r"no (?:puedo|pude) (?:jalar|agarrar|tomar|meter) (?:el )?aire|asfixi\w*"
                ),
            ],
            "unless": [r"por la nariz|nariz tapada|tapada la nariz"],
        },
        "hives": {
            "patterns": [
                r"ronchas?|ronchitas|urticaria|habones",
                r"granitos? (?:que (?:me )?pican|por todo)",
            ],
        },
        "face_swelling": {
            "patterns": [
                (
                    r"(?:labios?|lengua|cara|garganta|ojos|parpados|boca|cachetes) <gap3>(?:hinchad\w*|"
                    r"inflamad\w*|cerrad\w*|cierra|apretad\w*|grues[oa]s?|gord[oa]s?|inflad[oa]s?|"
                    r"abultad[oa]s?)"
                ),
                r"(?:hinch\w*|inflam\w*) (?:en )?<art>(?:labios?|lengua|cara|garganta|ojos|parpados|boca)",
                r"se me (?:esta )?(?:cerrando|cierra) la garganta",
            ],
        },
        "rash": {"patterns": [r"sarpullido|salpullido|erupcion|brote en la piel|granitos|me pica todo"]},
        "headache": {"patterns": [r"<cabeza>"]},
        "stiff_neck": {
            "patterns": [
                (
                    r"cuello <gap2>(?:tieso|rigido|duro|entumido|trabado|engarrotado)|"
                    r"(?:tieso|rigidez|rigido) (?:del |el |en el )?cuello"
                ),
                r"no puedo (?:doblar|mover|bajar|agachar|voltear) (?:el |la )?(?:cuello|cabeza)",
            ],
        },
        "confusion": {
            "patterns": [
                (
                    r"confundid[oa]s?|confusion|desorientad[oa]s?|no se donde estoy|"
                    r"no (?:puedo )?pensar (?:bien|claro)|atontad[oa]s?|(?:me )?olvido de todo"
                )
            ],
        },
        "fever": {
            "patterns": [
                (
                    r"fiebre|calentura|afiebrad\w*|febril|temperatura alta|"
                    r"(?:tengo|tenia|tuve|con|me dio|me da) temperatura"
                )
            ],
        },
        "chills": {
            "patterns": [
                (
                    r"escalofrio\w*|escalosfrio\w*|tiritando|tiritar|temblores de frio|temblando de frio|"
                    r"no (?:puedo|me puedo) calentar"
                )
            ],
        },
        "worse_back_pain": {
            "patterns": [
                r"espalda <gap4>(?:peor|empeor\w*|mas fuerte|aumenta\w*|mas y mas)",
                r"(?:duele|dolia|duelen) (?:cada vez )?mas (?:la|mi) espalda",
                r"espalda (?:me )?duele (?:cada vez )?mas",
                r"empeor\w* (?:el )?dolor de espalda",
            ],
        },
        "site_infection": {
            "patterns": [
                r"<sitio> <gap4><sitiosigno>",
                r"<sitiosigno> <gap4>(?:en |de |del |al )?<sitio>",
                r"pus|supura\w*|(?:se me |se )?infecto|infectad[oa]",
                (
                    r"(?:sale|salen|salio|escurre|gotea) (?:un |una |algo de |mucho |poco de )?"
                    r"(?:liquido|agua\w*|materia|secrecion)"
                ),
            ],
        },
        "site_bleeding": {
            "patterns": [
                r"<sitio> <gap4>(?:sangr\w*|llena de sangre|con sangre)",
                r"(?:sangr\w*|sale sangre|salio sangre) <gap4>(?:en |de |del |el |la )?<sitio>",
                (
                    r"(?:bolita|bola|bulto|chipote|bolo|moreton|morete|hematoma|hinchazon|protuberancia) "
                    r"<gap8>"
                    r"(?:crec\w*|mas grande|se agranda|agrandando|aumenta\w*)"
                ),
            ],
        },
        "positional_headache": {
            "patterns": [
                (
                    r"<cabeza> <gap6>(?:se (?:me )?quita|mejora|se alivia|desaparece|se va|se calma|"
                    r"se me pasa|estoy mejor|me siento mejor) <gap3>(?:cuando |al |si |solo cuando )?"
                    r"(?:nada mas cuando |nomas cuando |solo cuando )?(?:me )?<acostado>"
                ),
                r"<cabeza> <gap6>(?:mejora|se (?:me )?quita|se alivia) <acostado>",
                r"<cabeza> <gap4>(?:cuando|al|si|siempre que|cada vez que|nada mas) (?:estoy )?<derecho>",
                r"(?:cuando|al|si|siempre que|cada vez que) <derecho> <gap4><cabeza>",
                r"<acostado> <gap2>se (?:me )?quita",
            ],
        },
        "lying_helps": {
            "patterns": [
                r"(?:solo|nada mas) (?:acostad[oa]|cuando me acuesto) (?:se me quita|mejoro|me alivio)"
            ],
        },
    },
    "clause_breaks": [
        r"[;:!?]|\.(?!\d)",
        (
            r"\bpero\b(?! (?:ya )?(?:se me |se |me )(?:quito|fue|paso)|(?: ya)? (?:se )?(?:me )?(?:quito|fue|"
            r"paso))"
        ),
        r"\b(?:aunque|sin embargo|excepto|salvo|porque|ya que|mientras|pues)\b",
        (
            r"\by\b(?= (?:yo|mi|mis|me|se|ya|ahora|hoy|tengo|la|el|los|las|luego|despues|tambien|"
            r"todavia|aun|de repente|cuando|no|siento|estoy)\b)"
        ),
        (
            r",(?= (?:yo|mi|mis|me|se|ya|ahora|hoy|tengo|pero|y|la|el|los|las|no|solo|tambien|todavia|"
            r"aun|estoy|siento)\b)"
        ),
    ],
    "negation_before": [
        (
            r"no|ni|nunca|jamas|sin|tampoco|nada de|ningun\w*|nadie|"
            # "ya se me quito el hormigueo": in Spanish the "gone" often comes first.
            r"(?:ya )?se (?:me |le )?(?:quito|quitaron|fue|fueron|paso|pasaron)|desaparecio|desaparecieron"
        )
    ],
    "negation_after": [
        (
            r"(?:ya )?(?:se )?(?:me |le )?(?:quito|quitaron|fue|fueron|paso|pasaron)|"
            r"desaparecio|desaparecieron|(?:ya )?bajo|(?:ya )?(?:esta|estan) (?:bien|normal)|se calmo"
        )
    ],
    "not_new_after": [
        (
            r"desde hace (?:anos|mucho)|(?:por|hace) (?:anos|mucho tiempo)|de siempre|como siempre|"
            r"desde (?:la|mi) (?:cirugia|operacion|accidente)|nada nuevo|no es nuevo"
        )
    ],
    "pseudo_negation": [
        (
            r"no se (?:si|que|por que|porque|como|cuando|donde)|no solo|no mejora|"
            r"no (?:se )?(?:me )?(?:quita|quito|va|fue|pasa|ha quitado|han quitado|ha ido|ha pasado)|"
            r"no (?:para|paro|deja|dejo|dejan) de|sin parar|no hay mejoria|no importa|"
            r"nunca (?:me )?(?:habia|he|havia) (?:tenido|sentido|pasado)|nunca me (?:pasa|paso|habia pasado)|"
            r"no aguanto (?:el dolor|mas)|no es normal|no estoy segur[oa]|no tengo idea|no sabia|"
            # "¿es normal si…?" asks about what is happening now.
            r"(?:es )?normal si|esta bien si|es malo si"
        )
    ],
    "hypothetical": [
        (
            r"que (?:pasa|hago|hacer|debo hacer|tal) si|y si|por si|en caso de|"
            # Only "si" itself is the cue, so it never takes the first words of the symptom after it.
            r"si(?= (?:me llega|llego|llegara|empiezo|empieza|me empieza|me da|me dan|me sale|me salen|tengo|"
            r"me pasa|se me|la|el|mi|hay|siento|noto|me siento)\b)|"
            r"(?:debo|tengo que|hay que) (?:ir|llamar)(?: \w+)?(?: \w+)? si|llame si|llamar si|"
            r"(?:hay que|debo|que debo) vigilar|vigilar (?:si|que)|estar pendiente de|fijarme si|"
            r"me preocupa que me (?:de|den|salga)"
        )
    ],
    "someone_else": [
        (
            r"(?:a )?(?:mi|mis) (?:esposo|esposa|marido|mujer|hijo|hija|hijos|hijas|nino|nina|ninos|bebe|"
            r"mama|papa|madre|padre|hermano|hermana|amigo|amiga|nieto|nieta|nietos|vecino|vecina|novio|"
            r"novia|pareja|perro|perrita|perrito|gato|suegra|suegro|tia|tio|primo|prima|companero|"
            r"companera)(?: \w+)? (?:tiene|tienen|tuvo|tuvieron|tenia|esta|estan|estuvo|anda|le dio|le da|"
            r"le salio|le salieron|se siente|trae)|"
            r"(?:el|ella) (?:tiene|tuvo|tenia|anda)"
        )
    ],
    "temperature": {
        "context": [
            (
                r"temperatura|temp|fiebre|calentura|termometro|marco|marca|"
                # "tengo 38.7": a reading only when a decimal number follows at once.
                r"(?:tengo|tenia|tuve|traigo|ando en|subio a|llego a|amaneci con|estoy en)(?= \d{2,3}[.,]\d)"
            )
        ],
        "unit": [
            (
                r"deg(?: ?[fc]\b)?|grados?(?: ?[fc]\b| centigrados| celsius| fahrenheit)?|[fc]|centigrados|"
                r"celsius|fahrenheit"
            )
        ],
        "not_body": [
            r"afuera|al sol|clima|hace calor|hacia calor|del agua|del cuarto|de la casa|ambiente|horno"
        ],
    },
}
