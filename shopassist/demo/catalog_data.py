"""Demo catalog: 4 categories and 40 products, with names and descriptions in the four
store-view languages (en, fr, ko, zh-hant)."""

from decimal import Decimal

# code → {"position": int, "texts": {"en": (name, description), "fr": (...), "ko": (...),
# "zh-hant": (...)}}
CATEGORIES = {
    "bags": {
        "position": 0,
        "texts": {
            "en": (
                "Bags",
                "Backpacks, totes and travel bags built for everyday carry and weekend getaways.",
            ),
            "fr": (
                "Sacs",
                "Sacs à dos, cabas et sacs de voyage conçus pour le quotidien comme pour les "
                "escapades du week-end.",
            ),
            "ko": (
                "가방",
                "일상용부터 주말 여행용까지, 튼튼하게 만든 백팩, 토트백, 여행 가방을 만나 보세요.",
            ),
            "zh-hant": (
                "包袋",
                "後背包、托特包與旅行袋，日常通勤與週末出遊都適用。",
            ),
        },
    },
    "apparel": {
        "position": 1,
        "texts": {
            "en": (
                "Apparel",
                "Comfortable, well-made clothing in natural fabrics for every season.",
            ),
            "fr": (
                "Vêtements",
                "Des vêtements confortables et bien finis, en matières naturelles, pour toutes "
                "les saisons.",
            ),
            "ko": (
                "의류",
                "사계절 내내 편안하게 입을 수 있는 천연 소재의 품질 좋은 의류입니다.",
            ),
            "zh-hant": (
                "服飾",
                "採用天然材質、做工精良的舒適服飾，一年四季都好穿搭。",
            ),
        },
    },
    "home": {
        "position": 2,
        "texts": {
            "en": (
                "Home & Kitchen",
                "Kitchenware, tableware and home essentials that make daily routines a little "
                "nicer.",
            ),
            "fr": (
                "Maison et cuisine",
                "Ustensiles de cuisine, arts de la table et essentiels pour la maison qui "
                "embellissent le quotidien.",
            ),
            "ko": (
                "홈 & 주방",
                "일상을 조금 더 즐겁게 만들어 줄 주방용품, 식기, 생활용품입니다.",
            ),
            "zh-hant": (
                "居家廚房",
                "讓日常生活更美好的廚具、餐具與居家必需品。",
            ),
        },
    },
    "electronics": {
        "position": 3,
        "texts": {
            "en": (
                "Electronics",
                "Headphones, chargers and smart gadgets for work, travel and play.",
            ),
            "fr": (
                "Électronique",
                "Casques, chargeurs et gadgets connectés pour le travail, les voyages et les "
                "loisirs.",
            ),
            "ko": (
                "전자제품",
                "업무와 여행, 여가 생활을 위한 헤드폰, 충전기, 스마트 기기입니다.",
            ),
            "zh-hant": (
                "3C 電子",
                "適合工作、旅行與休閒娛樂的耳機、充電器和智慧小物。",
            ),
        },
    },
}

# A list of 40 dicts:
# {"sku": "SA-BAG-001", "category": "<category code>", "price": Decimal("49.00"), "stock": 25,
#  "texts": {"en": (name, description), "fr": (name, description), "ko": (...), "zh-hant": (...)}}
PRODUCTS = [
    {
        "sku": "SA-BAG-001",
        "category": "bags",
        "price": Decimal("89.00"),
        "stock": 25,
        "texts": {
            "en": (
                "Canvas Weekender Bag",
                "A roomy waxed-canvas holdall with leather handles and a detachable shoulder "
                "strap. Fits two to three days of clothing.",
            ),
            "fr": (
                "Sac week-end en toile",
                "Un grand sac en toile cirée avec poignées en cuir et bandoulière amovible. Idéal "
                "pour deux à trois jours d'affaires.",
            ),
            "ko": (
                "캔버스 위켄더 백",
                "가죽 손잡이와 탈부착식 어깨끈을 갖춘 넉넉한 왁스 캔버스 가방입니다. 2~3일 여행에 "
                "필요한 옷이 충분히 들어갑니다.",
            ),
            "zh-hant": (
                "帆布週末旅行袋",
                "寬敞的油蠟帆布旅行袋，附皮革提把與可拆式肩背帶，可裝下兩到三天的換洗衣物。",
            ),
        },
    },
    {
        "sku": "SA-BAG-002",
        "category": "bags",
        "price": Decimal("149.00"),
        "stock": 18,
        "texts": {
            "en": (
                "Leather Laptop Backpack",
                "Full-grain leather backpack with a padded sleeve for laptops up to 15 inches. "
                "Plenty of pockets keep cables and notebooks organized.",
            ),
            "fr": (
                "Sac à dos en cuir pour ordinateur",
                "Sac à dos en cuir pleine fleur avec compartiment rembourré pour ordinateur "
                "portable jusqu'à 15 pouces. De nombreuses poches pour ranger câbles et carnets.",
            ),
            "ko": (
                "가죽 노트북 백팩",
                "최대 15인치 노트북을 넣을 수 있는 쿠션 수납공간이 있는 풀그레인 가죽 백팩입니다. "
                "넉넉한 포켓에 케이블과 노트를 깔끔하게 정리할 수 있습니다.",
            ),
            "zh-hant": (
                "頭層牛皮筆電後背包",
                "頭層牛皮後背包，附可容納 15 吋筆電的防震夾層，多個口袋方便收納線材與筆記本。",
            ),
        },
    },
    {
        "sku": "SA-BAG-003",
        "category": "bags",
        "price": Decimal("39.00"),
        "stock": 60,
        "texts": {
            "en": (
                "Everyday Tote Bag",
                "A sturdy cotton canvas tote with an inner zip pocket. Perfect for groceries, "
                "books or the beach.",
            ),
            "fr": (
                "Cabas du quotidien",
                "Un cabas robuste en toile de coton avec poche intérieure zippée. Parfait pour "
                "les courses, les livres ou la plage.",
            ),
            "ko": (
                "데일리 토트백",
                "내부 지퍼 포켓이 있는 튼튼한 코튼 캔버스 토트백입니다. 장보기, 책 수납, 해변 "
                "나들이에 모두 잘 어울립니다.",
            ),
            "zh-hant": (
                "日常托特包",
                "堅固耐用的棉質帆布托特包，內附拉鍊口袋，買菜、裝書或去海邊都很合適。",
            ),
        },
    },
    {
        "sku": "SA-BAG-004",
        "category": "bags",
        "price": Decimal("45.00"),
        "stock": 40,
        "texts": {
            "en": (
                "Nylon Crossbody Sling",
                "A lightweight, water-resistant sling that keeps your phone, wallet and keys "
                "close at hand.",
            ),
            "fr": (
                "Sacoche bandoulière en nylon",
                "Une sacoche légère et déperlante qui garde votre téléphone, votre portefeuille "
                "et vos clés à portée de main.",
            ),
            "ko": (
                "나일론 크로스 슬링백",
                "휴대폰, 지갑, 열쇠를 가까이 두고 꺼내 쓸 수 있는 가볍고 생활 방수가 되는 "
                "슬링백입니다.",
            ),
            "zh-hant": (
                "尼龍斜背包",
                "輕巧防潑水的斜背包，手機、錢包和鑰匙隨手可取。",
            ),
        },
    },
    {
        "sku": "SA-BAG-005",
        "category": "bags",
        "price": Decimal("229.00"),
        "stock": 12,
        "texts": {
            "en": (
                "Rolling Carry-On Suitcase",
                "A polycarbonate cabin suitcase with four spinner wheels and a TSA-approved lock. "
                "Meets most airlines' carry-on size limits.",
            ),
            "fr": (
                "Valise cabine à roulettes",
                "Valise cabine en polycarbonate avec quatre roues pivotantes et serrure TSA. "
                "Conforme aux dimensions cabine de la plupart des compagnies aériennes.",
            ),
            "ko": (
                "기내용 캐리어",
                "360도 회전 바퀴 4개와 TSA 잠금장치를 갖춘 폴리카보네이트 기내용 캐리어입니다. "
                "대부분 항공사의 기내 반입 규격에 맞습니다.",
            ),
            "zh-hant": (
                "登機箱",
                "聚碳酸酯材質登機箱，配備四個萬向輪與 TSA 海關鎖，"
                "符合多數航空公司的手提行李尺寸規定。",
            ),
        },
    },
    {
        "sku": "SA-BAG-006",
        "category": "bags",
        "price": Decimal("29.00"),
        "stock": 75,
        "texts": {
            "en": (
                "Packable Daypack",
                "An ultralight 20-liter daypack that folds into its own pocket. Ideal for hikes "
                "and city sightseeing.",
            ),
            "fr": (
                "Sac à dos pliable",
                "Un sac à dos ultraléger de 20 litres qui se replie dans sa propre poche. Idéal "
                "pour la randonnée et les visites en ville.",
            ),
            "ko": (
                "접이식 데이팩",
                "자체 포켓 안에 접어 넣을 수 있는 초경량 20리터 데이팩입니다. 하이킹이나 도시 "
                "관광에 안성맞춤입니다.",
            ),
            "zh-hant": (
                "輕便摺疊背包",
                "超輕量 20 公升背包，可摺疊收進自身口袋，登山健行或城市觀光都適合。",
            ),
        },
    },
    {
        "sku": "SA-BAG-007",
        "category": "bags",
        "price": Decimal("35.00"),
        "stock": 90,
        "texts": {
            "en": (
                "Leather Card Wallet",
                "A slim vegetable-tanned leather card holder with four card slots and a central "
                "pocket for folded bills.",
            ),
            "fr": (
                "Porte-cartes en cuir",
                "Un porte-cartes fin en cuir tanné végétal, avec quatre emplacements pour cartes "
                "et une poche centrale pour les billets pliés.",
            ),
            "ko": (
                "가죽 카드 지갑",
                "카드 슬롯 4개와 접은 지폐를 넣을 수 있는 중앙 포켓을 갖춘 슬림한 베지터블 가죽 "
                "카드 지갑입니다.",
            ),
            "zh-hant": (
                "植鞣皮卡夾",
                "纖薄的植鞣皮卡夾，設有四個卡槽，中間夾層可放摺疊的紙鈔。",
            ),
        },
    },
    {
        "sku": "SA-BAG-008",
        "category": "bags",
        "price": Decimal("24.00"),
        "stock": 55,
        "texts": {
            "en": (
                "Insulated Lunch Bag",
                "Keeps meals cool for up to six hours, with a wipe-clean lining and a front "
                "pocket for cutlery.",
            ),
            "fr": (
                "Sac repas isotherme",
                "Garde vos repas au frais jusqu'à six heures, avec une doublure facile à nettoyer "
                "et une poche avant pour les couverts.",
            ),
            "ko": (
                "보냉 도시락 가방",
                "최대 6시간 동안 음식을 시원하게 보관하며, 쉽게 닦이는 안감과 수저를 넣는 앞 "
                "포켓이 있습니다.",
            ),
            "zh-hant": (
                "保冷便當袋",
                "可保冷長達六小時，內襯好擦拭，前方口袋可收納餐具。",
            ),
        },
    },
    {
        "sku": "SA-BAG-009",
        "category": "bags",
        "price": Decimal("119.00"),
        "stock": 15,
        "texts": {
            "en": (
                "Camera Shoulder Bag",
                "A padded shoulder bag with adjustable dividers that holds a mirrorless camera "
                "and two lenses.",
            ),
            "fr": (
                "Sac photo à bandoulière",
                "Un sac à bandoulière rembourré avec séparateurs réglables, pour un appareil "
                "photo hybride et deux objectifs.",
            ),
            "ko": (
                "카메라 숄더백",
                "미러리스 카메라 한 대와 렌즈 두 개를 수납할 수 있도록 조절식 칸막이를 갖춘 쿠션 "
                "숄더백입니다.",
            ),
            "zh-hant": (
                "相機側背包",
                "具緩衝內襯的側背包，附可調式隔板，可收納一台微單眼相機與兩顆鏡頭。",
            ),
        },
    },
    {
        "sku": "SA-BAG-010",
        "category": "bags",
        "price": Decimal("129.00"),
        "stock": 10,
        "texts": {
            "en": (
                "Waxed Canvas Duffel",
                "A large barrel duffel in waxed canvas with brass hardware and a separate shoe "
                "compartment.",
            ),
            "fr": (
                "Sac polochon en toile cirée",
                "Un grand sac polochon en toile cirée avec finitions en laiton et compartiment "
                "séparé pour les chaussures.",
            ),
            "ko": (
                "왁스 캔버스 더플백",
                "황동 장식과 별도의 신발 수납칸을 갖춘 대용량 왁스 캔버스 더플백입니다.",
            ),
            "zh-hant": (
                "油蠟帆布圓筒旅行袋",
                "大容量油蠟帆布圓筒旅行袋，搭配黃銅五金，另有獨立鞋子隔層。",
            ),
        },
    },
    {
        "sku": "SA-APP-001",
        "category": "apparel",
        "price": Decimal("119.00"),
        "stock": 30,
        "texts": {
            "en": (
                "Merino Wool Sweater",
                "A fine-knit crew-neck sweater in soft merino wool. Warm, breathable and "
                "naturally odor-resistant.",
            ),
            "fr": (
                "Pull en laine mérinos",
                "Un pull col rond en fine maille de laine mérinos, tout doux. Chaud, respirant et "
                "naturellement anti-odeurs.",
            ),
            "ko": (
                "메리노 울 스웨터",
                "부드러운 메리노 울을 촘촘하게 짠 라운드넥 스웨터입니다. 따뜻하고 통기성이 좋으며 "
                "냄새가 잘 배지 않습니다.",
            ),
            "zh-hant": (
                "美麗諾羊毛衣",
                "柔軟美麗諾羊毛細針織圓領毛衣，保暖透氣，天然抗異味。",
            ),
        },
    },
    {
        "sku": "SA-APP-002",
        "category": "apparel",
        "price": Decimal("25.00"),
        "stock": 120,
        "texts": {
            "en": (
                "Organic Cotton T-Shirt",
                "A classic crew-neck tee in heavyweight organic cotton that keeps its shape wash "
                "after wash.",
            ),
            "fr": (
                "T-shirt en coton bio",
                "Un t-shirt col rond classique en coton bio épais, qui garde sa forme lavage "
                "après lavage.",
            ),
            "ko": (
                "오가닉 코튼 티셔츠",
                "여러 번 세탁해도 형태가 유지되는 도톰한 오가닉 코튼 소재의 기본 라운드넥 "
                "티셔츠입니다.",
            ),
            "zh-hant": (
                "有機棉 T 恤",
                "厚磅有機棉經典圓領 T 恤，多次洗滌依然不易變形。",
            ),
        },
    },
    {
        "sku": "SA-APP-003",
        "category": "apparel",
        "price": Decimal("69.00"),
        "stock": 45,
        "texts": {
            "en": (
                "Slim Fit Chinos",
                "Stretch cotton chinos with a tapered leg, ideal for the office or the weekend.",
            ),
            "fr": (
                "Chino coupe ajustée",
                "Un chino en coton stretch à jambe fuselée, parfait pour le bureau comme pour le "
                "week-end.",
            ),
            "ko": (
                "슬림핏 치노 팬츠",
                "밑단으로 갈수록 좁아지는 스트레치 코튼 치노 팬츠로, 출근할 때나 주말에나 잘 "
                "어울립니다.",
            ),
            "zh-hant": (
                "修身卡其褲",
                "彈性棉質錐形褲管卡其褲，上班或週末穿都合適。",
            ),
        },
    },
    {
        "sku": "SA-APP-004",
        "category": "apparel",
        "price": Decimal("149.00"),
        "stock": 20,
        "texts": {
            "en": (
                "Waterproof Rain Jacket",
                "A breathable, fully seam-sealed shell with an adjustable hood. Packs down small "
                "for travel.",
            ),
            "fr": (
                "Veste de pluie imperméable",
                "Une veste imperméable et respirante aux coutures entièrement étanchées, avec "
                "capuche réglable. Se range dans un tout petit volume pour le voyage.",
            ),
            "ko": (
                "방수 레인 재킷",
                "모든 봉제선을 심실링 처리한 통기성 좋은 방수 재킷으로, 조절식 후드가 달려 "
                "있습니다. 작게 접혀 여행용으로 좋습니다.",
            ),
            "zh-hant": (
                "防水雨衣外套",
                "透氣防水外套，所有縫線皆經壓膠處理，附可調式連帽；收納後體積小巧，方便旅行攜帶。",
            ),
        },
    },
    {
        "sku": "SA-APP-005",
        "category": "apparel",
        "price": Decimal("59.00"),
        "stock": 35,
        "texts": {
            "en": (
                "Linen Button-Down Shirt",
                "A lightweight pure linen shirt that stays cool on hot days. Relaxed fit with a "
                "button-down collar.",
            ),
            "fr": (
                "Chemise en lin",
                "Une chemise légère en pur lin qui reste fraîche par temps chaud. Coupe "
                "décontractée et col boutonné.",
            ),
            "ko": (
                "린넨 버튼다운 셔츠",
                "더운 날에도 시원하게 입을 수 있는 가벼운 100% 린넨 셔츠입니다. 여유 있는 핏에 "
                "버튼다운 칼라를 갖췄습니다.",
            ),
            "zh-hant": (
                "亞麻釦領襯衫",
                "輕薄純亞麻襯衫，炎熱天氣也能保持涼爽，寬鬆版型搭配釦領設計。",
            ),
        },
    },
    {
        "sku": "SA-APP-006",
        "category": "apparel",
        "price": Decimal("89.00"),
        "stock": 25,
        "texts": {
            "en": (
                "Quilted Puffer Vest",
                "A lightweight insulated vest with recycled fill, great for layering on chilly "
                "mornings.",
            ),
            "fr": (
                "Doudoune sans manches",
                "Une doudoune sans manches légère au garnissage recyclé, idéale à superposer les "
                "matins frais.",
            ),
            "ko": (
                "퀼팅 패딩 조끼",
                "재활용 충전재를 사용한 가벼운 패딩 조끼로, 쌀쌀한 아침에 레이어드하기 좋습니다.",
            ),
            "zh-hant": (
                "菱格鋪棉背心",
                "採用再生填充材料的輕量鋪棉背心，微涼的早晨最適合洋蔥式穿搭。",
            ),
        },
    },
    {
        "sku": "SA-APP-007",
        "category": "apparel",
        "price": Decimal("49.00"),
        "stock": 50,
        "texts": {
            "en": (
                "Cashmere Beanie",
                "A soft rib-knit beanie in pure cashmere. One size fits most.",
            ),
            "fr": (
                "Bonnet en cachemire",
                "Un bonnet tout doux en maille côtelée de pur cachemire. Taille unique.",
            ),
            "ko": (
                "캐시미어 비니",
                "100% 캐시미어로 짠 부드러운 골지 비니입니다. 프리 사이즈로 누구나 편하게 쓸 수 "
                "있습니다.",
            ),
            "zh-hant": (
                "喀什米爾毛帽",
                "純喀什米爾羊絨羅紋針織毛帽，觸感柔軟，單一尺寸適合大多數人。",
            ),
        },
    },
    {
        "sku": "SA-APP-008",
        "category": "apparel",
        "price": Decimal("35.00"),
        "stock": 70,
        "texts": {
            "en": (
                "Running Shorts",
                "Quick-dry running shorts with a built-in liner and a zip pocket for your keys.",
            ),
            "fr": (
                "Short de running",
                "Un short de course à séchage rapide avec sous-short intégré et poche zippée pour "
                "les clés.",
            ),
            "ko": (
                "러닝 쇼츠",
                "이너가 내장된 속건성 러닝 쇼츠로, 열쇠를 넣을 수 있는 지퍼 포켓이 있습니다.",
            ),
            "zh-hant": (
                "慢跑短褲",
                "快乾慢跑短褲，內建內襯，並附可放鑰匙的拉鍊口袋。",
            ),
        },
    },
    {
        "sku": "SA-APP-009",
        "category": "apparel",
        "price": Decimal("99.00"),
        "stock": 22,
        "texts": {
            "en": (
                "Denim Trucker Jacket",
                "A timeless jacket in rigid selvedge denim that softens and fades beautifully "
                "with wear.",
            ),
            "fr": (
                "Veste en jean",
                "Une veste intemporelle en denim selvedge brut, qui s'assouplit et se patine "
                "joliment au fil du temps.",
            ),
            "ko": (
                "데님 트러커 재킷",
                "입을수록 부드러워지고 멋스럽게 물이 빠지는 셀비지 생지 데님 소재의 클래식 "
                "재킷입니다.",
            ),
            "zh-hant": (
                "經典牛仔外套",
                "以原色赤耳丹寧製成的經典外套，越穿越柔軟，刷色也越自然好看。",
            ),
        },
    },
    {
        "sku": "SA-APP-010",
        "category": "apparel",
        "price": Decimal("249.00"),
        "stock": 8,
        "texts": {
            "en": (
                "Wool Blend Overcoat",
                "A tailored knee-length overcoat in a warm wool blend, finished with notch lapels.",
            ),
            "fr": (
                "Manteau en laine mélangée",
                "Un manteau ajusté arrivant aux genoux, en laine mélangée bien chaude, avec col "
                "cranté.",
            ),
            "ko": (
                "울 블렌드 오버코트",
                "노치드 라펠이 돋보이는 따뜻한 울 혼방 소재의 무릎 길이 테일러드 오버코트입니다.",
            ),
            "zh-hant": (
                "羊毛混紡大衣",
                "保暖羊毛混紡及膝大衣，俐落剪裁搭配西裝領設計。",
            ),
        },
    },
    {
        "sku": "SA-HOM-001",
        "category": "home",
        "price": Decimal("59.00"),
        "stock": 30,
        "texts": {
            "en": (
                "Ceramic Pour-Over Coffee Set",
                "A hand-glazed ceramic dripper with a matching carafe and two cups. Brews a clean,"
                " flavorful cup.",
            ),
            "fr": (
                "Set à café filtre en céramique",
                "Un dripper en céramique émaillée à la main, avec sa carafe assortie et deux "
                "tasses. Pour un café net et plein de saveurs.",
            ),
            "ko": (
                "세라믹 핸드드립 커피 세트",
                "손으로 유약을 입힌 세라믹 드리퍼와 같은 디자인의 서버, 컵 두 개로 구성되어 "
                "있습니다. 깔끔하고 풍미 있는 커피를 내릴 수 있습니다.",
            ),
            "zh-hant": (
                "陶瓷手沖咖啡組",
                "手工上釉陶瓷濾杯，搭配同款分享壺與兩個杯子，沖出乾淨、風味豐富的咖啡。",
            ),
        },
    },
    {
        "sku": "SA-HOM-002",
        "category": "home",
        "price": Decimal("45.00"),
        "stock": 40,
        "texts": {
            "en": (
                "Cast Iron Skillet",
                "A pre-seasoned 26 cm cast iron skillet that goes from stovetop to oven. Built to "
                "last for generations.",
            ),
            "fr": (
                "Poêle en fonte",
                "Une poêle en fonte pré-culottée de 26 cm, qui passe de la plaque de cuisson au "
                "four. Conçue pour durer des générations.",
            ),
            "ko": (
                "무쇠 스킬렛",
                "시즈닝을 마친 26cm 무쇠 스킬렛으로, 가스레인지와 오븐에서 모두 사용할 수 "
                "있습니다. 대대로 물려 쓸 만큼 튼튼합니다.",
            ),
            "zh-hant": (
                "鑄鐵平底鍋",
                "已完成開鍋處理的 26 公分鑄鐵平底鍋，可直接從爐火移進烤箱，堅固耐用，可代代相傳。",
            ),
        },
    },
    {
        "sku": "SA-HOM-003",
        "category": "home",
        "price": Decimal("29.00"),
        "stock": 60,
        "texts": {
            "en": (
                "Linen Table Napkins (Set of 4)",
                "Stonewashed linen napkins that get softer with every wash. Set of four.",
            ),
            "fr": (
                "Serviettes de table en lin (lot de 4)",
                "Des serviettes en lin lavé à la pierre, qui s'adoucissent à chaque lavage. Lot "
                "de quatre.",
            ),
            "ko": (
                "린넨 테이블 냅킨 (4장 세트)",
                "세탁할수록 더 부드러워지는 스톤워싱 린넨 냅킨 4장 세트입니다.",
            ),
            "zh-hant": (
                "亞麻餐巾（4 入組）",
                "石洗亞麻餐巾，越洗越柔軟，一組四條。",
            ),
        },
    },
    {
        "sku": "SA-HOM-004",
        "category": "home",
        "price": Decimal("32.00"),
        "stock": 55,
        "texts": {
            "en": (
                "Bamboo Cutting Board",
                "A durable bamboo board with a juice groove on one side and a flat serving "
                "surface on the other.",
            ),
            "fr": (
                "Planche à découper en bambou",
                "Une planche robuste en bambou, avec une rigole à jus d'un côté et une surface "
                "plane de service de l'autre.",
            ),
            "ko": (
                "대나무 도마",
                "한쪽 면에는 즙이 흘러넘치지 않도록 홈이 파여 있고, 다른 면은 서빙용으로 쓸 수 "
                "있는 튼튼한 대나무 도마입니다.",
            ),
            "zh-hant": (
                "竹製砧板",
                "耐用竹製砧板，一面設有導流槽，另一面平整光滑，也可當作上菜盤。",
            ),
        },
    },
    {
        "sku": "SA-HOM-005",
        "category": "home",
        "price": Decimal("65.00"),
        "stock": 25,
        "texts": {
            "en": (
                "Stoneware Dinner Plates (Set of 4)",
                "Speckled stoneware plates with a matte glaze. Dishwasher and microwave safe.",
            ),
            "fr": (
                "Assiettes plates en grès (lot de 4)",
                "Des assiettes en grès moucheté à l'émail mat. Compatibles lave-vaisselle et "
                "micro-ondes.",
            ),
            "ko": (
                "스톤웨어 디너 접시 (4개 세트)",
                "무광 유약에 잔잔한 점무늬가 있는 스톤웨어 접시입니다. 식기세척기와 전자레인지에 "
                "사용할 수 있습니다.",
            ),
            "zh-hant": (
                "炻器餐盤（4 入組）",
                "霧面釉色搭配細緻斑點的炻器餐盤，可放入洗碗機及微波爐使用。",
            ),
        },
    },
    {
        "sku": "SA-HOM-006",
        "category": "home",
        "price": Decimal("39.00"),
        "stock": 45,
        "texts": {
            "en": (
                "Glass Food Storage Containers (Set of 5)",
                "Five borosilicate glass containers with leak-proof snap lids. The glass is oven, "
                "freezer and dishwasher safe.",
            ),
            "fr": (
                "Boîtes de conservation en verre (lot de 5)",
                "Cinq boîtes en verre borosilicaté avec couvercles hermétiques à clips. Le verre "
                "passe au four, au congélateur et au lave-vaisselle.",
            ),
            "ko": (
                "유리 밀폐용기 (5개 세트)",
                "새지 않는 잠금 뚜껑이 달린 붕규산 유리 용기 5개 세트입니다. 유리 용기는 오븐, "
                "냉동실, 식기세척기에 사용할 수 있습니다.",
            ),
            "zh-hant": (
                "玻璃保鮮盒（5 入組）",
                "耐熱硼矽玻璃保鮮盒五入組，附防漏扣式上蓋；玻璃盒可用於烤箱、冷凍庫及洗碗機。",
            ),
        },
    },
    {
        "sku": "SA-HOM-007",
        "category": "home",
        "price": Decimal("22.00"),
        "stock": 80,
        "texts": {
            "en": (
                "Scented Soy Candle",
                "A hand-poured soy wax candle with notes of cedar and bergamot. Burns for about "
                "45 hours.",
            ),
            "fr": (
                "Bougie parfumée à la cire de soja",
                "Une bougie en cire de soja coulée à la main, aux notes de cèdre et de bergamote. "
                "Environ 45 heures de combustion.",
            ),
            "ko": (
                "소이 향초",
                "시더우드와 베르가못 향이 은은한 수제 소이 왁스 캔들입니다. 약 45시간 동안 사용할 "
                "수 있습니다.",
            ),
            "zh-hant": (
                "大豆香氛蠟燭",
                "手工製作的大豆蠟燭，帶有雪松與佛手柑香調，可燃燒約 45 小時。",
            ),
        },
    },
    {
        "sku": "SA-HOM-008",
        "category": "home",
        "price": Decimal("89.00"),
        "stock": 20,
        "texts": {
            "en": (
                "Chef's Knife (20 cm)",
                "A Japanese-style chef's knife forged from high-carbon stainless steel, balanced "
                "for precise everyday prep.",
            ),
            "fr": (
                "Couteau de chef (20 cm)",
                "Un couteau de chef de style japonais, forgé en acier inoxydable à haute teneur "
                "en carbone et bien équilibré pour une découpe précise au quotidien.",
            ),
            "ko": (
                "셰프 나이프 (20cm)",
                "고탄소 스테인리스강을 단조해 만든 일본식 셰프 나이프로, 무게 균형이 좋아 매일 "
                "재료를 정교하게 손질할 수 있습니다.",
            ),
            "zh-hant": (
                "主廚刀（20 公分）",
                "以高碳不鏽鋼鍛造的日式主廚刀，重心平衡，日常備料精準俐落。",
            ),
        },
    },
    {
        "sku": "SA-HOM-009",
        "category": "home",
        "price": Decimal("79.00"),
        "stock": 18,
        "texts": {
            "en": (
                "Wool Throw Blanket",
                "A cozy herringbone throw woven from lambswool, perfect for the sofa on cold "
                "evenings.",
            ),
            "fr": (
                "Plaid en laine",
                "Un plaid douillet à chevrons tissé en laine d'agneau, parfait pour le canapé les "
                "soirs de grand froid.",
            ),
            "ko": (
                "울 블랭킷",
                "램스울로 짠 헤링본 패턴의 포근한 블랭킷으로, 추운 저녁 소파에서 덮기 좋습니다.",
            ),
            "zh-hant": (
                "羊毛毯",
                "以小羊毛織成的人字紋毯，溫暖舒適，寒冷夜晚窩在沙發上最適合。",
            ),
        },
    },
    {
        "sku": "SA-HOM-010",
        "category": "home",
        "price": Decimal("99.00"),
        "stock": 0,
        "texts": {
            "en": (
                "Electric Gooseneck Kettle",
                "A 0.9-liter gooseneck kettle with precise temperature control and a keep-warm "
                "mode, made for pour-over coffee and tea.",
            ),
            "fr": (
                "Bouilloire électrique col de cygne",
                "Une bouilloire col de cygne de 0,9 litre avec réglage précis de la température "
                "et maintien au chaud, idéale pour le café filtre et le thé.",
            ),
            "ko": (
                "구스넥 전기 드립포트",
                "정밀한 온도 조절과 보온 기능을 갖춘 0.9L 구스넥 포트로, 핸드드립 커피와 차를 "
                "내리기에 좋습니다.",
            ),
            "zh-hant": (
                "電動細口手沖壺",
                "0.9 公升細口手沖壺，可精準控溫並具保溫功能，專為手沖咖啡與泡茶設計。",
            ),
        },
    },
    {
        "sku": "SA-ELE-001",
        "category": "electronics",
        "price": Decimal("299.00"),
        "stock": 20,
        "texts": {
            "en": (
                "Wireless Noise-Cancelling Headphones",
                "Over-ear headphones with adaptive noise cancellation and up to 30 hours of "
                "battery life. They fold flat for travel.",
            ),
            "fr": (
                "Casque sans fil à réduction de bruit",
                "Un casque circum-auriculaire à réduction de bruit adaptative, avec jusqu'à 30 "
                "heures d'autonomie. Se replie à plat pour le voyage.",
            ),
            "ko": (
                "무선 노이즈 캔슬링 헤드폰",
                "적응형 노이즈 캔슬링과 최대 30시간의 배터리 사용 시간을 갖춘 오버이어 "
                "헤드폰입니다. 납작하게 접혀 휴대가 간편합니다.",
            ),
            "zh-hant": (
                "無線降噪耳機",
                "耳罩式耳機，具備自適應降噪功能，電池續航力最長可達 30 小時，可平折收納，"
                "方便旅行攜帶。",
            ),
        },
    },
    {
        "sku": "SA-ELE-002",
        "category": "electronics",
        "price": Decimal("129.00"),
        "stock": 40,
        "texts": {
            "en": (
                "True Wireless Earbuds",
                "Compact earbuds with active noise cancellation, IPX4 sweat resistance and a "
                "wireless charging case.",
            ),
            "fr": (
                "Écouteurs sans fil",
                "Des écouteurs compacts à réduction de bruit active, résistants à la "
                "transpiration (IPX4), avec boîtier de charge sans fil.",
            ),
            "ko": (
                "완전 무선 이어폰",
                "액티브 노이즈 캔슬링과 IPX4 생활 방수 기능을 갖춘 소형 이어폰으로, 무선 충전 "
                "케이스가 함께 제공됩니다.",
            ),
            "zh-hant": (
                "真無線藍牙耳機",
                "小巧的主動降噪耳機，具 IPX4 防汗等級，附無線充電盒。",
            ),
        },
    },
    {
        "sku": "SA-ELE-003",
        "category": "electronics",
        "price": Decimal("79.00"),
        "stock": 35,
        "texts": {
            "en": (
                "Portable Bluetooth Speaker",
                "A rugged, waterproof speaker with rich 360° sound and 12 hours of playtime.",
            ),
            "fr": (
                "Enceinte Bluetooth portable",
                "Une enceinte robuste et étanche, au son riche à 360°, avec 12 heures d'autonomie.",
            ),
            "ko": (
                "휴대용 블루투스 스피커",
                "풍부한 360° 사운드와 12시간 재생 시간을 갖춘 튼튼한 방수 스피커입니다.",
            ),
            "zh-hant": (
                "攜帶式藍牙喇叭",
                "堅固防水的喇叭，提供飽滿的 360° 環繞音效，可連續播放 12 小時。",
            ),
        },
    },
    {
        "sku": "SA-ELE-004",
        "category": "electronics",
        "price": Decimal("49.00"),
        "stock": 60,
        "texts": {
            "en": (
                "65W USB-C Fast Charger",
                "A compact GaN charger with two USB-C ports and one USB-A port. Charges a laptop "
                "and a phone at the same time.",
            ),
            "fr": (
                "Chargeur rapide USB-C 65 W",
                "Un chargeur GaN compact avec deux ports USB-C et un port USB-A. Recharge un "
                "ordinateur portable et un téléphone en même temps.",
            ),
            "ko": (
                "65W USB-C 고속 충전기",
                "USB-C 포트 2개와 USB-A 포트 1개를 갖춘 소형 GaN 충전기입니다. 노트북과 휴대폰을 "
                "동시에 충전할 수 있습니다.",
            ),
            "zh-hant": (
                "65W USB-C 快速充電器",
                "小巧的氮化鎵（GaN）充電器，具備兩個 USB-C 與一個 USB-A 連接埠，"
                "可同時為筆電和手機充電。",
            ),
        },
    },
    {
        "sku": "SA-ELE-005",
        "category": "electronics",
        "price": Decimal("139.00"),
        "stock": 25,
        "texts": {
            "en": (
                "Compact Mechanical Keyboard",
                "A 75% mechanical keyboard with hot-swappable switches, white backlighting and a "
                "USB-C connection.",
            ),
            "fr": (
                "Clavier mécanique compact",
                "Un clavier mécanique au format 75 %, avec switches remplaçables à chaud, "
                "rétroéclairage blanc et connexion USB-C.",
            ),
            "ko": (
                "컴팩트 기계식 키보드",
                "핫스왑 스위치와 화이트 백라이트, USB-C 연결을 지원하는 75% 배열의 기계식 "
                "키보드입니다.",
            ),
            "zh-hant": (
                "精巧型機械式鍵盤",
                "75% 配列機械式鍵盤，支援軸體熱插拔、白色背光與 USB-C 連接。",
            ),
        },
    },
    {
        "sku": "SA-ELE-006",
        "category": "electronics",
        "price": Decimal("69.00"),
        "stock": 45,
        "texts": {
            "en": (
                "Wireless Ergonomic Mouse",
                "A sculpted mouse that supports a natural hand position, with silent clicks and "
                "multi-device pairing.",
            ),
            "fr": (
                "Souris ergonomique sans fil",
                "Une souris sculptée qui favorise une position naturelle de la main, avec clics "
                "silencieux et connexion multi-appareils.",
            ),
            "ko": (
                "무선 인체공학 마우스",
                "손을 자연스러운 자세로 유지해 주는 곡선형 마우스로, 저소음 클릭과 멀티 디바이스 "
                "페어링을 지원합니다.",
            ),
            "zh-hant": (
                "無線人體工學滑鼠",
                "貼合手型的弧形設計，讓手部維持自然姿勢，並具備靜音按鍵與多裝置配對功能。",
            ),
        },
    },
    {
        "sku": "SA-ELE-007",
        "category": "electronics",
        "price": Decimal("39.00"),
        "stock": 80,
        "texts": {
            "en": (
                "10,000 mAh Power Bank",
                "A slim power bank that charges a phone about twice, with USB-C fast charging in "
                "and out.",
            ),
            "fr": (
                "Batterie externe 10 000 mAh",
                "Une batterie externe fine qui recharge un téléphone environ deux fois, avec "
                "charge rapide USB-C en entrée comme en sortie.",
            ),
            "ko": (
                "10,000mAh 보조배터리",
                "휴대폰을 약 두 번 충전할 수 있는 슬림한 보조배터리로, USB-C 고속 입출력을 "
                "지원합니다.",
            ),
            "zh-hant": (
                "10,000mAh 行動電源",
                "輕薄行動電源，可為手機充電約兩次，支援 USB-C 快充輸入與輸出。",
            ),
        },
    },
    {
        "sku": "SA-ELE-008",
        "category": "electronics",
        "price": Decimal("89.00"),
        "stock": 30,
        "texts": {
            "en": (
                "Smart LED Desk Lamp",
                "An adjustable desk lamp with dimmable, color-tunable light and a built-in "
                "wireless charging pad.",
            ),
            "fr": (
                "Lampe de bureau LED connectée",
                "Une lampe de bureau orientable, à intensité et température de couleur réglables, "
                "avec socle de recharge sans fil intégré.",
            ),
            "ko": (
                "스마트 LED 데스크 램프",
                "밝기와 색온도를 조절할 수 있는 각도 조절형 스탠드로, 무선 충전 패드가 내장되어 "
                "있습니다.",
            ),
            "zh-hant": (
                "智慧 LED 檯燈",
                "可調整角度的檯燈，亮度與色溫皆可調節，底座內建無線充電板。",
            ),
        },
    },
    {
        "sku": "SA-ELE-009",
        "category": "electronics",
        "price": Decimal("149.00"),
        "stock": 28,
        "texts": {
            "en": (
                "Fitness Tracker Watch",
                "Tracks heart rate, sleep and workouts, with built-in GPS and up to 7 days of "
                "battery life.",
            ),
            "fr": (
                "Montre d'activité connectée",
                "Suit la fréquence cardiaque, le sommeil et les entraînements, avec GPS intégré "
                "et jusqu'à 7 jours d'autonomie.",
            ),
            "ko": (
                "피트니스 트래커 워치",
                "심박수, 수면, 운동을 기록하는 스마트 워치로, GPS가 내장되어 있으며 배터리가 최대 "
                "7일간 지속됩니다.",
            ),
            "zh-hant": (
                "運動健康智慧手錶",
                "可記錄心率、睡眠與運動數據，內建 GPS，電池續航力最長 7 天。",
            ),
        },
    },
    {
        "sku": "SA-ELE-010",
        "category": "electronics",
        "price": Decimal("349.00"),
        "stock": 1,
        "texts": {
            "en": (
                "4K Action Camera",
                "A waterproof 4K/60fps action camera with image stabilization and a front-facing "
                "preview screen.",
            ),
            "fr": (
                "Caméra d'action 4K",
                "Une caméra d'action étanche 4K à 60 images par seconde, avec stabilisation "
                "d'image et écran de contrôle frontal.",
            ),
            "ko": (
                "4K 액션캠",
                "손떨림 보정 기능과 전면 미리보기 화면을 갖춘 4K/60fps 방수 액션캠입니다.",
            ),
            "zh-hant": (
                "4K 運動攝影機",
                "防水 4K/60fps 運動攝影機，具備影像防手震功能與前置預覽螢幕。",
            ),
        },
    },
]
