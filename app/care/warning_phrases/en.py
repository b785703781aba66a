"""Warning signs as English-speaking patients write them (lower case, no accents, see __init__)."""

from __future__ import annotations

from typing import Any

PHRASES: dict[str, Any] = {
    "language": "en",
    # "&" and "+" join two symptoms: "chest pain & can't breathe".
    "replace": {"&": " and ", "+": " and "},
    "words": {
        # Words a gap never crosses: a negation or a clause break between two halves of a phrase.
        "stop": (
            r"no|not|never|none|nor|neither|nothing|without|"
            r"(?:don|doesn|didn|isn|aren|wasn|weren|haven|hasn|hadn|won|wouldn)'?t|"
            r"but|however|although|though|because"
        ),
        "cant": (
            r"can'?t|cannot|can not|couldn'?t|could not|unable to|not able to|"
            r"(?:have|has)(?:n'?t| not) been able to|no longer able to|can no longer|could no longer"
        ),
        "numb": (
            r"numb\w*|numm\w*|numn\w*|num|tingl\w*|pins (?:and|n) needles|prickl\w*|"
            r"no (?:feeling|sensation)|lost (?:all |the |my |some |any )?(?:feeling|sensation)|"
            r"los(?:s|ing) (?:of )?(?:feeling|sensation)"
        ),
        # How a body part is said to be numb, after naming it: "my foot fell asleep", "leg went dead".
        "numbstate": (
            r"<numb>|dead(?! tired)|asleep|(?:fell|falls|falling|fall|gone|went|goes|going) to sleep|"
            r"(?:has|have|had) no (?:feeling|sensation)|(?:like )?(?:novocaine|novocain|lidocaine)|"
            r"(?:like )?(?:rubber|wood|cardboard)|(?:hardly|barely) (?:any )?feel\w*"
        ),
        "really": r"(?:really |even |quite |totally |fully |hardly |barely |properly )?",
        "saddle": (
            r"groin\w*|crotch\w*|privates|private (?:parts?|areas?|regions?|bits)|genital\w*|"
            r"vagina\w*|vulva|labia|penis|scrotum|testicles?|balls(?! of)|"
            r"butt(?:ocks?| ?cheeks?|s)?|bum|bottom(?! of)|rear(?: end)?(?! of)|backside|tush\w*|"
            r"booty|anus|anal|rectum|rectal|perine\w*|taint|saddle(?: area| region)?|seat (?:area|region)|"
            r"inner (?:thighs?|legs?)|insides? of (?:my |the |both )?(?:thighs?|legs)|"
            r"between (?:my|the) legs|down there|sit ?bones?|sitting bones?|where i sit|"
            r"pubic (?:area|region)|bikini (?:area|line)|pelvic (?:floor|area)"
        ),
        "leg": r"legs?|foot|feet|toes?|calf|calves|thighs?|shins?|knees?|ankles?|heels?|soles?",
        "side": r"(?:my |the |both |one |his |her )?(?:left |right |lower |upper |other |big )?",
        "pee": r"pee|peed|peeing|pees|urinat\w*|urine|piss\w*|wee|tinkle",
        "poop": r"poop|pooped|pooping|poo|bowels?|bowel movements?|bm|stool|number two",
        "toilet": r"toilet|bathroom|restroom|potty|loo",
        "site": (
            r"(?:injection|needle|shot|puncture|poke|prp) (?:site|spot|area|mark|hole|wound)|"
            r"site|spot|injection|shot|needle(?: stick| hole| mark)?|puncture|band ?aids?|"
            r"bandages?|dressing|"
            r"where (?:they|the doctor|the doc|he|she|you|the nurse|dr \w+) "
            r"(?:injected|poked|stuck|did the (?:shot|injection)|gave (?:me )?the (?:shot|injection)|"
            r"put the (?:needle|shot))(?: me| it)?|"
            r"where the (?:needle|shot|injection) (?:went in|was|went)"
        ),
        "sitesign": (
            r"red|reddish|redder|redness|reddened|"
            r"hot(?! (?:pack|shower|bath|tub|water|pad|compress|towel))|"
            r"warm(?:th)?(?! (?:pack|shower|bath|water|pad|compress|towel|heating))|"
            r"swollen|swelling|swelled|puffy|puffed|inflamed|inflammation|infected|infection|"
            r"ooz\w*|drain\w*|leak\w*|weep\w*|pus|pussy|discharg\w*|crust\w*|gunk\w*|angry|"
            r"streak\w*|bulging|hard and red"
        ),
        "headache": (
            r"head ?aches?|headach\w*|migraines?|"
            r"head (?:is |was |keeps )?(?:pounding|throbbing|splitting|killing me|exploding|hurting)|"
            r"head (?:hurts|hurt|aches|ached|throbs|pounds)|(?:pounding|throbbing|splitting) head"
        ),
        "upright": (
            r"(?:sit|sits|sitting|sat|stand|stands|standing|stood|get|gets|getting|got) up|"
            r"standing|stand|upright|on my feet"
        ),
        "lying": r"lie|lay|lying|laying|lays|lies",
    },
    "findings": {
        "saddle_numbness": {
            "patterns": [
                r"<saddle> <gap3><numbstate>",
                r"<numb> <gap4><saddle>",
                (
                    r"(?:<cant>|don'?t|do not|didn'?t|did not) feel (?:anything|a thing|much|it)? ?"
                    r"(?:when|while|as) i (?:wipe|wiped|sit on the toilet)"
                ),
                (
                    r"(?:<cant>|don'?t|do not|didn'?t|did not) feel (?:the )?(?:toilet )?"
                    r"(?:paper|tissue|seat|toilet)"
                ),
                r"numb\w* (?:when|while|as) i (?:wipe|wiped)",
                r"<cant> <really>feel (?:anything (?:in|on|around) )?<side><saddle>",
                r"<cant> <really>feel (?:myself )?(?:sitting|the chair|the seat)",
                (
                    r"(?:wipe|wiping|wiped) (?:it |that )?feels? (?:numb|weird|strange|different|"
                    r"like (?:someone else|rubber|cardboard|wood))"
                ),
            ],
        },
        "bladder_bowel": {
            "patterns": [
                (
                    r"(?:wet|peed|pissed|pooped|pooed|soiled|messed|wetting|peeing|pooping) "
                    r"(?:myself|my (?:self|pants|underwear|bed|clothes|shorts|jeans|panties|diaper))"
                ),
                r"wet (?:the|my) bed|bed (?:was|is|got) (?:all )?wet|woke up wet",
                r"<cant> <gap1>(?:<pee>|<poop>)",
                (
                    r"(?:hard|difficult|trouble|difficulty|struggl\w*|strain\w*|problems?|(?:a )?hard time|"
                    r"(?:a )?tough time|issues?) "
                    r"(?:to |with |when i |getting |starting |start |starting to )?(?:start )?(?:my )?<pee>"
                ),
                (
                    r"(?:<cant>|no|lost|losing|loss of|no longer have|don'?t have|do not have) (?:any )?"
                    r"control (?:of |over )?(?:my |the )?(?:bladder|<pee>|<poop>)"
                ),
                r"<cant> control (?:when|where|if) i (?:go|<pee>|<poop>)",
                r"<cant> hold (?:it|in)? ?(?:my |the )?(?:bladder|<pee>|<poop>)",
                r"(?:leak\w*|dribbl\w*) (?:of )?(?:<pee>|<poop>)",
                r"(?:couldn'?t|could not|didn'?t|did not|can'?t|cannot) make it to the <toilet>",
                r"<cant> (?:tell|feel) (?:when|if) (?:my )?(?:bladder|bowels?) (?:is|are) full",
                r"<cant> (?:tell|feel) (?:when|if) i (?:need|have) to (?:<pee>|<poop>|go)",
                r"(?:didn'?t|did not) (?:notice|feel|know|realize) (?:that )?i (?:peed|pooped|wet)",
                r"accident in (?:my|the) (?:pants|underwear|bed|sleep|clothes|chair)",
                r"incontinen\w*|urinary retention|retaining urine",
                (
                    r"(?:peed|pooped|pissed|wet|soiled) in (?:my|the) (?:pants|underwear|bed|clothes|shorts|"
                    r"jeans|"
                    r"panties|chair|car)"
                ),
                (
                    r"(?:<pee>|go|had to go|need to go|needed to go) nothing (?:comes|came|will come|would "
                    r"come) out|"
                    r"(?:<pee>|go|had to go|need to go|needed to go) but nothing (?:comes|came|will come|"
                    r"would come) out"
                ),
                r"bladder <gap3>full(?:,)? (?:but )?(?:i )?<cant> (?:go|<pee>)",
                r"<cant> (?:fully |completely )?empty (?:my )?bladder|<cant> go (?:pee|to the <toilet>)",
                r"(?:i'm|im|i am|been|keep|started|i keep) (?:leaking|dribbling|wetting)",
                r"leak\w* (?:when|if|every time) i (?:cough|sneeze|laugh|stand|walk|move)",
            ],
        },
        "leg_weakness": {
            "patterns": [
                r"<leg> <gap3>(?:giving|gave|give|gives|given) (?:way|out)",
                r"<leg> <gap2>buckl\w*|buckl\w* (?:knees?|legs?)",
                r"dragg?\w* <side><leg>|<leg> <gap2>(?:dragg\w*|drags)",
                r"foot drop|drop foot|dropped foot|foot <gap2>(?:flop\w*|slap\w*|drop\w*|dangl\w*)",
                r"<leg> <gap3>(?:collaps\w*|crumpl\w*|went out|goes out|going out)",
                r"<leg> <gap2>(?:won'?t|doesn'?t|does not|isn'?t|is not) work\w*",
                r"(?:toes?|foot) (?:catch\w*|keeps? catching)",
                r"<cant> (?:lift|raise|pick up|move|wiggle|point|flex|feel|control) (?:up )?<side><leg>",
                r"<cant> (?:stand|walk|get up|go up) on <side>(?:tip ?toes|toes|heels?)",
                r"<leg> <gap3>(?:weak\w*|wobbl\w*|jelly|rubber\w*|noodles?|limp)",
                r"weak\w* (?:in|of) <side><leg>",
                (
                    r"<leg> <gap2>(?:won'?t|wont|will not|doesn'?t|does not|can'?t|cannot) "
                    r"(?:hold|support|carry) (?:me|my weight)"
                ),
                r"(?:no|lost|losing|lose|loss of) (?:\w+ )?(?:strength|power|control) (?:in|of) <side><leg>",
                r"<leg> <gap2>(?:have|has) no (?:strength|power)",
                r"<leg> <gap2>(?:stopped|stops|quit) working",
                r"(?:trip|tripping|tripped|stumbl\w*) over my (?:own )?(?:foot|feet|toes)",
            ],
        },
        "leg_numbness": {
            "patterns": [
                r"<leg> <gap3><numbstate>",
                r"<numb> <gap4><leg>",
                r"<cant> <really>feel <side><leg>",
            ],
            # The saddle area named through the legs is saddle numbness, not leg numbness.
            "unless": [
                r"between (?:my|the) legs|inner (?:thighs?|legs?)",
                r"insides? of (?:my |the |both )?(?:thighs?|legs)",
            ],
        },
        "chest_pain": {
            "patterns": [
                (
                    r"chest <gap2>(?:pain\w*|hurt\w*|ache\w*|aching|tight\w*|pressure|heavy|heaviness|"
                    r"sore\w*|burn\w*|squeez\w*|stabb\w*|sharp|pound\w*|crush\w*)"
                ),
                (
                    r"(?:pain\w*|hurt\w*|ache|aching|tight\w*|pressure|heaviness|squeez\w*|stabb\w*|"
                    r"crush\w*|discomfort) <gap3>chest"
                ),
            ],
        },
        "breathing_trouble": {
            "patterns": [
                (
                    r"<cant> <gap1>(?:breathe?|breath|catch my breath|get (?:enough |any )?air|"
                    r"get a (?:full|deep|good) breath|take a (?:deep|full) breath)"
                ),
                r"short(?:ness)? (?:of )?breath\w*",
                (
                    r"(?:hard|difficult|trouble|difficulty|struggl\w*|problems?|labou?red|painful|hurts?|"
                    r"hurting|pain|(?:a )?hard time|(?:a )?tough time) (?:to |with |when i |when |while )?"
                    r"(?:breath\w*|inhal\w*)"
                ),
                r"winded|breathless|out of breath",
                r"breath\w* (?:is |are |feels )?(?:hard|difficult|painful|shallow|labou?red)",
                r"wheez\w*|gasp\w*",
            ],
            "unless": [r"(?:through|out of|in) (?:my |the )?nose|stuffy|congest\w*|sinus\w*"],
        },
        "hives": {
            "patterns": [
                r"hives|welts|wheals|urticaria",
                r"(?:itchy|raised|red) (?:[a-z]+ )?(?:bumps|blotches|welts|spots|patches) all over",
                r"bumps all over (?:my )?(?:body|skin)",
            ],
        },
        "face_swelling": {
            "patterns": [
                (
                    r"(?:lips?|tongue|face|throat|eyes?|eyelids?|mouth) <gap3>(?:swell\w*|swollen|puffy|"
                    r"puff\w* up|thick|fat|tight\w*|closing|closed|closes|blow\w* up)"
                ),
                (
                    r"(?:swell\w*|swollen|puffy|puffiness) (?:\w+ )?(?:of |in |on |around )?"
                    r"(?:my |the )?(?:lips?|tongue|face|throat|eyes?|eyelids?|mouth)"
                ),
            ],
        },
        "rash": {"patterns": [r"rash\w*|breaking out|broke out|broken out"]},
        "headache": {"patterns": [r"<headache>"]},
        "stiff_neck": {
            "patterns": [
                r"(?:stiff|rigid) neck|neck <gap2>(?:stiff\w*|rigid)",
                r"<cant> (?:bend|move|turn|touch|put) (?:my )?(?:neck|head|chin)",
            ],
        },
        "confusion": {
            "patterns": [
                (
                    r"confus\w*|disorient\w*|not making sense|delirious|"
                    r"<cant> think (?:straight|clearly|right)|(?:keep )?forgetting (?:things|what)|"
                    r"(?:don'?t|do not|didn'?t) know where i (?:am|was)|mixed up"
                )
            ],
        },
        "fever": {
            "patterns": [
                (
                    r"fever\w*|febrile|running (?:a )?temp\w*|"
                    r"(?:have|had|has|got|get|getting|spiked?|spiking|with|running) (?:a )?(?:high "
                    r")?temperature|"
                    r"temp (?:is |was )?(?:high|up)|high temp\w*"
                )
            ],
        },
        "chills": {
            "patterns": [
                (
                    r"chills|chilled to the bone|shiver\w*|shak\w* (?:with cold|uncontrollably)|rigors|"
                    r"(?:<cant>) (?:get|stay|keep) warm"
                )
            ],
        },
        "worse_back_pain": {
            "patterns": [
                r"back <gap3>(?:worse|worsening|increasing|more and more)",
                r"(?:worse|worsening|increasing) (?:\w+ )?back (?:pain|ache)",
                r"back <gap2>(?:hurts?|aches?|pain|is killing me) (?:even |a lot |much |way )?more",
                r"back pain (?:keeps |is )?(?:getting|got|gets|growing) stronger",
            ],
        },
        "site_infection": {
            "patterns": [
                r"<site> <gap4><sitesign>",
                (
                    r"(?:red|redness|reddish|swollen|swelling|puffy|inflamed|infected|infection|ooz\w*|"
                    r"drain\w*|leak\w*|weep\w*|pus|discharge|warmth|hot and (?:red|swollen)) <gap4><site>"
                ),
                (
                    r"pus|ooz(?:ing|es|ed|e)|(?:looks|is|seems|got|getting|became|be) infected|red streaks?|"
                    r"streaks? of red|(?:yellow|green|white|cloudy) (?:\w+ )?(?:stuff|fluid|liquid|gunk|goo|"
                    r"crust|discharge)|drainage"
                ),
            ],
        },
        "site_bleeding": {
            "patterns": [
                r"<site> <gap4>(?:bleed\w*|bled|blood\w*|soaked)",
                r"(?:bleed\w*|bled|blood) <gap4><site>",
                (
                    r"(?:lump|bump|knot|swelling|bruise|ball|mass|goose ?egg|bulge) <gap6>"
                    r"(?:getting |gets |got |keeps getting |growing )?(?:bigger|larger|grow\w*|grew|"
                    r"spread\w*|expand\w*)"
                ),
                r"hematoma|haematoma",
            ],
        },
        "positional_headache": {
            "patterns": [
                (
                    r"<headache> <gap6>(?:better|goes away|go away|went away|improves?|eases|easier|stops|"
                    r"fades|disappears|relieved|gone|helps|eased) <gap2>(?:when |if |while |after |once |by "
                    r")?"
                    r"(?:i )?(?:<lying>)(?: down| flat| back)?"
                ),
                (
                    r"<headache> <gap4>(?:when|whenever|if|as soon as|every time|once|while|after) "
                    r"(?:i |i'm |im |i am )?<upright>"
                ),
                r"<headache> <gap3>(?:worse|comes back|returns|starts) <gap2>(?:sitting|standing|upright)",
                r"(?:when|whenever|as soon as|every time) (?:i |i'm |im )?<upright> <gap3><headache>",
                (
                    r"<headache> <gap4>(?:when|whenever|if|while) (?:i )?(?:sit or stand|stand or sit|"
                    r"sitting or standing|standing or sitting)"
                ),
            ],
        },
        # "Lying flat is the only thing that helps", with a headache elsewhere in the text.
        "lying_helps": {
            "patterns": [
                (
                    r"(?:<lying>) (?:down|flat) (?:is the only thing that |is all that |really |only )?"
                    r"(?:helps|relieves|fixes)"
                ),
                r"only (?:<lying>) (?:down|flat) helps",
                r"(?:fine|better|ok|okay|gone|relief) (?:when |if |once )?(?:i )?(?:<lying>) (?:down|flat)",
            ],
        },
    },
    "clause_breaks": [
        r"[;:!?]|\.(?!\d)",
        # "but" keeps a clause open when what follows says the thing has gone ("but it went away").
        (
            r"\bbut\b(?! (?:now |then )?(?:it|they|that|this|those|these)(?:'s|'re| is| are| was| were| has|"
            r" have)?"
            r" ?(?:all |completely |totally )?(?:gone|went away|wore off|stopped|passed|resolved|cleared|"
            r"disappeared|went down))"
        ),
        (
            r"\b(?:however|although|though|except|yet|because|cause|cuz|whereas|while|so|"
            r"apart from|other than|aside from)\b"
        ),
        (
            r"\band\b(?= (?:i|i'm|im|i've|ive|my|now|then|it|it's|its|this|that|today|tonight|the|there|"
            r"also|still|suddenly|he|she|we)\b)"
        ),
        (
            r",(?= (?:i|i'm|im|i've|ive|my|it|it's|its|the|this|that|now|but|and|so|then|also|plus|"
            r"today|tonight|yesterday|no|not|just|still|though|we|he|she|you)\b)"
        ),
    ],
    "negation_before": [
        (
            r"(?:don|doesn|didn|isn|aren|wasn|weren|haven|hasn|hadn|won|wouldn|ain)'?t|not|no|never|none|"
            r"nor|neither|without|den(?:y|ies|ied)|free of|negative for|nothing|zero|absence of"
        )
    ],
    "negation_after": [
        (
            r"(?:is |are |has |have |was |were |'s |'re )?(?:all |completely |totally )?"
            r"(?:gone|resolved|cleared(?: up)?|went away|gone away|wore off|worn off|subsided|stopped|"
            r"passed|healed|disappeared|went down|gone down|come down|came down|broke(?! out))"
        ),
        r"(?:is|are|'s) (?:all )?over",
        r"(?:is |are )?(?:fine|ok|okay|normal) now|back to normal|no more",
    ],
    "not_new_after": [
        (
            r"for (?:years|ages|a long time|months|decades)|"
            r"since (?:my|the) (?:old |last |back |previous |first )?(?:surgery|accident|fusion|operation)|"
            r"(?:as|like) (?:always|usual)|same as (?:always|usual|ever)|nothing new|not new|old (?:injury|"
            r"problem)"
        )
    ],
    "pseudo_negation": [
        (
            r"not sure|no idea|not only|not just|no change|no better|not better|not getting better|"
            r"not improving|not improved|no improvement|no relief|not (?:go(?:ing|ne)?) away|"
            r"(?:won'?t|wont|doesn'?t|does not|didn'?t|did not|hasn'?t|has not|haven'?t|have not|will not|"
            r"never) (?:go|went|gone|going|wear|wore|worn) (?:away|off)|"
            r"(?:won'?t|wont|doesn'?t|does not|hasn'?t|has not|will not|didn'?t|did not) "
            r"(?:stop|stopped|quit|ease|let up|get better|improve)|"
            r"not stopping|no matter|nothing helps|(?:doesn'?t|does not|didn'?t) help|"
            r"(?:can'?t|cannot) (?:tell|say) (?:if|whether)|"
            r"never (?:had|felt|experienced|been|happened|happens)|not normal|"
            r"(?:wonder\w*|unsure|know|asking|ask|check\w*|see) (?:if|whether)|even if|as if|"
            r"without (?:any )?(?:warning|reason)|"
            r"(?:didn'?t|did not) (?:feel|notice|know|realize) (?:it|that)|(?:normal|ok|okay|bad) if"
        )
    ],
    "hypothetical": [
        (
            r"what if|if(?= (?:i|i'm|im|my|it|the|there|this|that|a|any)\b)|in case|"
            r"should i (?:call|go|worry|come|be worried)|when should i|do i need to (?:call|go|worry)|"
            r"watch(?:ing)? (?:out )?for|look(?:ing)? out for|keep an eye out for|"
            r"(?:call|go|come|contact|tell you|tell them|let you know) (?:if|when)|"
            r"worried about (?:getting|having|developing)|afraid (?:of getting|i'll get|i will get)|"
            r"hope i (?:don'?t|do not|won'?t) (?:get|catch)|in the event"
        )
    ],
    "someone_else": [
        (
            r"(?:my |our |his |her )?(?:husband|wife|hubby|son|daughter|kids?|child|children|baby|mom|"
            r"mother|dad|father|brother|sister|friend|grandson|granddaughter|grandkids?|grandchild\w*|"
            r"neighbou?r|boyfriend|girlfriend|partner|dog|cat|coworker|mum|aunt|uncle|cousin|roommate|"
            r"niece|nephew|grandma|grandpa|spouse)(?:'s)? (?:has|had|have|got|gets|is|was|were|caught|"
            r"came down with|runs|ran|feels|felt|seems|'s)|"
            r"(?:he|she)(?: has| had| got| is| was|'s)"
        )
    ],
    "temperature": {
        # A number is a body temperature when one of these is within a few words of it...
        "context": [
            (
                r"temp|temps|temperature|temperatures|fever\w*|thermometer|therm|spiked?|spiking|"
                # "running 100.9", "I'm at 38.5": a reading only when the number follows at once.
                r"(?:running|i'm at|im at|i was at|at|hit|reached|up to)(?= (?:a )?\d{2,3}[.,]\d)"
            )
        ],
        # ...or a unit follows it ("101 degrees", "38.5 c"; ° and º are read as "deg").
        "unit": [r"deg(?:rees?)?(?: ?[fc]\b| fahrenheit| celsius)?|[fc]|fahrenheit|celsius"],
        # A number with only a unit is the weather when one of these is in the same clause.
        "not_body": [r"outside|out there|weather|outdoors|in the sun|heat index|the house|room|water|oven"],
    },
}
